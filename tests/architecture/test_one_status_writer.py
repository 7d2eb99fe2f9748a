"""Only workflow.writer assigns a dossier's status (ARCHITECTURE.md §4.2)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "motcua"
STATUS_FIELDS = {"status", "national_status"}
# catalog.services and catalog.processes set a *procedure version's* or a *process version's* status,
# notifications.services a *notification's* delivery status, core.task_worker a *queued task's* state;
# nothing else may write a `status`.
ALLOWED = {
    "workflow/writer.py",
    "catalog/services.py",
    "catalog/processes.py",
    "notifications/services.py",
    "core/task_worker.py",
}


def status_writes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines += [t.lineno for t in targets if isinstance(t, ast.Attribute) and t.attr in STATUS_FIELDS]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"update", "create", "update_or_create", "get_or_create", "bulk_update"}
        ):
            lines += [node.lineno for k in node.keywords if k.arg in STATUS_FIELDS]
    return lines


def test_no_module_but_the_writer_assigns_a_status() -> None:
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}" or relative in ALLOWED:
            continue
        lines = status_writes(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[relative] = lines
    assert offenders == {}


def test_the_check_catches_an_assignment() -> None:
    assert status_writes(ast.parse("d.status = 'x'\nD.objects.filter().update(national_status=2)")) == [1, 2]
