"""Only workflow.writer assigns a dossier's status (ARCHITECTURE.md §4.2).

The check walks every module's syntax tree and reports each way a ``status`` or ``national_status``
can be written: an attribute assignment, ``setattr(obj, "status", …)``, a model built with the field
(``Dossier(status=…)``, ``bulk_create`` of such objects), a queryset write with the field as a keyword
or inside a ``**{…}`` dict literal, a ``bulk_update`` naming it, and raw SQL ``UPDATE … SET status``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "motcua"
STATUS_FIELDS = {"status", "national_status"}
WRITING_CALLS = {"update", "create", "update_or_create", "get_or_create", "bulk_update", "bulk_create"}
# A SET clause (or its continuation) assigning a status column, in any quoting.
RAW_SQL = re.compile(r"\bUPDATE\b.*\bSET\b.*?[\s,\"'`](national_status|status)[\"'`]?\s*=", re.I | re.S)

# Each module allowed to write a `status`, and why it is not a second writer of a dossier's status.
ALLOWED = {
    "workflow/writer.py": "the one writer itself (its core/rowsql statements included)",
    "catalog/services.py": "a procedure version's status (draft, published, retired)",
    "catalog/processes.py": "an internal process version's status (published, retired)",
    "notifications/services.py": "a notification's delivery status",
    "integrations/national/sync.py": "a national sync message's delivery status (its outbox)",
    "core/task_worker.py": "a queued task's state (django_tasks_db's rows)",
    "integrations/postal_services.py": "a postal shipment's carrier status (ordered, in transit, delivered...)",
    "payments/settle.py": "a payment request's status (unpaid, pending, paid, refunded, cancelled)",
    "feedback/services.py": "a feedback's state (open, answered, declined)",
    "queueing/services.py": "a queue ticket's state (waiting, called, served, no-show)",
    "demo/synthetic.py": "synthetic history, held to the transition table by demo/tests/test_synthetic_rules.py",
}
# Modules whose status writes this check cannot see (column lists built at run time for COPY / INSERT).
UNSEEN = {"demo/synthetic.py"}


def model_names() -> set[str]:
    """The classes of the package's model modules: building one with a status is a write."""
    names = {"Dossier"}
    for path in [*PACKAGE.rglob("models.py"), *PACKAGE.rglob("*_models.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return names


MODELS = model_names()


def _is_status_key(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in STATUS_FIELDS


def _writes_status(call: ast.Call) -> bool:
    """A call passing a status: as a keyword, or in a ``**{"status": …}`` dict literal."""
    for keyword in call.keywords:
        if keyword.arg in STATUS_FIELDS:
            return True
        unpacked = keyword.value if keyword.arg is None and isinstance(keyword.value, ast.Dict) else None
        if unpacked is not None and any(_is_status_key(key) for key in unpacked.keys):
            return True
    return False


def _call_writes_status(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name == "setattr":
        return len(call.args) >= 2 and _is_status_key(call.args[1])
    if name == "bulk_update":
        fields = [*call.args, *(k.value for k in call.keywords if k.arg == "fields")]
        if any(isinstance(f, ast.List | ast.Tuple | ast.Set) and any(map(_is_status_key, f.elts)) for f in fields):
            return True
    # A queryset write, or a model built with a status (``Dossier(status=…)``, also inside a bulk_create).
    return (name in WRITING_CALLS or name in MODELS) and _writes_status(call)


def status_writes(tree: ast.AST) -> list[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines |= {t.lineno for t in targets if isinstance(t, ast.Attribute) and t.attr in STATUS_FIELDS}
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and RAW_SQL.search(node.value):
            lines.add(node.lineno)
        if isinstance(node, ast.Call) and _call_writes_status(node):
            lines.add(node.lineno)
    return sorted(lines)


def offenders() -> dict[str, list[int]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}" or relative in ALLOWED:
            continue
        lines = status_writes(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[relative] = lines
    return found


def test_no_module_but_the_writer_assigns_a_status() -> None:
    assert offenders() == {}


def test_every_allowed_module_exists_and_is_justified() -> None:
    assert all((PACKAGE / path).is_file() and len(reason) > 20 for path, reason in ALLOWED.items())
    # An allowed module that no longer writes a status should leave the list.
    seen = {p for p in ALLOWED if status_writes(ast.parse((PACKAGE / p).read_text(encoding="utf-8")))}
    assert seen == set(ALLOWED) - UNSEEN


def test_the_check_catches_an_assignment() -> None:
    assert status_writes(ast.parse("d.status = 'x'\nD.objects.filter().update(national_status=2)")) == [1, 2]


def test_the_check_catches_the_five_other_forms() -> None:
    forms = {
        "constructor": "Dossier(code='A', status='received')",
        "constructor, national": "models.Dossier(national_status=2)",
        "setattr": "setattr(dossier, 'status', 'received')",
        "dict unpacked": "Dossier.objects.filter(pk=1).update(**{'status': 'x'})",
        "dict unpacked into create": "Dossier.objects.create(code='A', **{'national_status': 2})",
        "bulk_create": "Dossier.objects.bulk_create([Dossier(code=c, status='x') for c in codes])",
        "bulk_update fields": "Dossier.objects.bulk_update(rows, ['status', 'due_at'])",
        "bulk_update keyword": "Dossier.objects.bulk_update(rows, fields=('national_status',))",
        "raw SQL": "cursor.execute('UPDATE dossiers_dossier SET status = %s WHERE id = %s', [s, i])",
        "raw SQL, quoted": 'sql = f\'UPDATE "dossiers_dossier" SET "due_at" = %s, "national_status" = %s\'',
    }
    assert {name: status_writes(ast.parse(code)) for name, code in forms.items()} == {name: [1] for name in forms}


def test_the_check_leaves_reads_alone() -> None:
    reads = [
        "Dossier.objects.filter(status='received')",
        "getattr(dossier, 'status')",
        "Dossier.objects.bulk_update(rows, ['due_at'])",
        "cursor.execute('SELECT status FROM dossiers_dossier WHERE status = %s', [s])",
        "x = dossier.status",
        "Response(body, status=409)",
        "Q(status='received')",
    ]
    assert [status_writes(ast.parse(code)) for code in reads] == [[]] * len(reads)
