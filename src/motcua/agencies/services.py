"""Writes to the agency tree. Every write is one atomic service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.constants import ALLOWED_PARENT_LEVELS, AgencyLevel
from motcua.agencies.exceptions import ImportRejected
from motcua.agencies.models import Agency, Desk
from motcua.core.audit import audit
from motcua.core.identifiers import agency_code_style

AGENCY_FIELDS = ("code", "name", "level", "parent_code", "address", "phone", "email")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    desks: int = 0
    codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AgencyRow:
    number: int
    code: str
    name: str
    level: str
    parent_code: str
    address: str = ""
    phone: str = ""
    email: str = ""
    desks: tuple[tuple[str, str, str], ...] = ()


def _desks_of(values: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    if isinstance(values.get("desks"), list):
        return tuple(
            (str(d.get("code", "")).strip(), str(d.get("name", "")).strip(), str(d.get("address", "")).strip())
            for d in values["desks"]
        )
    if values.get("desk_code") or values.get("desk_name"):
        return ((str(values.get("desk_code", "")).strip(), str(values.get("desk_name", "")).strip(), ""),)
    return ()


def parse_agency_rows(rows: Sequence[tuple[int, Mapping[str, Any]]]) -> list[AgencyRow]:
    """Check every row against the others and the database; raise ImportRejected listing all errors."""
    errors: dict[int, list[str]] = {}
    parsed: list[AgencyRow] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        text = {key: str(values.get(key) or "").strip() for key in AGENCY_FIELDS}
        row = AgencyRow(
            number=number,
            code=text["code"].upper(),
            name=text["name"],
            level=text["level"].lower(),
            parent_code=text["parent_code"].upper(),
            address=text["address"],
            phone=text["phone"],
            email=text["email"],
            desks=_desks_of(values),
        )
        problems = []
        if agency_code_style(row.code) is None:
            problems.append(
                _("Agency code “%(code)s” is not valid (e.g. H56.14 or 000.00.00.H56).") % {"code": row.code}
            )
        elif row.code in seen:
            problems.append(
                _("Agency code %(code)s also appears on row %(row)d.") % {"code": row.code, "row": seen[row.code]}
            )
        else:
            seen[row.code] = number
        if not row.name:
            problems.append(_("The name is empty."))
        if row.level not in AgencyLevel.values:
            problems.append(
                _("Level “%(level)s” is not one of: %(choices)s.")
                % {"level": row.level, "choices": ", ".join(AgencyLevel.values)}
            )
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                problems.append(_("E-mail “%(email)s” is not valid.") % {"email": row.email})
        for desk_code, desk_name, _address in row.desks:
            if not desk_code or not desk_name:
                problems.append(_("Each desk needs a code and a name."))
        if problems:
            errors[number] = problems
        parsed.append(row)

    by_code = {row.code: row for row in parsed}
    existing = {a.code: a.level for a in Agency.objects.filter(code__in={r.parent_code for r in parsed})}
    for row in parsed:
        if row.number in errors or row.level not in AgencyLevel.values:
            continue
        parent_level: str | None = None
        if row.parent_code:
            if row.parent_code == row.code:
                errors.setdefault(row.number, []).append(_("An agency cannot be its own parent."))
                continue
            if row.parent_code in by_code:
                parent_level = by_code[row.parent_code].level
            elif row.parent_code in existing:
                parent_level = existing[row.parent_code]
            else:
                errors.setdefault(row.number, []).append(
                    _("Parent agency %(code)s does not exist.") % {"code": row.parent_code}
                )
                continue
        if parent_level not in ALLOWED_PARENT_LEVELS[row.level]:
            errors.setdefault(row.number, []).append(
                _("A %(level)s agency cannot be placed under a %(parent)s agency.")
                % {"level": row.level, "parent": parent_level or _("no parent")}
            )
    _check_cycles(parsed, errors)
    if errors:
        raise ImportRejected(details=dict(sorted(errors.items())))
    return parsed


def _check_cycles(rows: list[AgencyRow], errors: dict[int, list[str]]) -> None:
    parent_of = {row.code: row.parent_code for row in rows}
    for row in rows:
        seen, code = set(), row.code
        while parent_of.get(code):
            if code in seen:
                errors.setdefault(row.number, []).append(_("The parent chain loops back to this agency."))
                break
            seen.add(code)
            code = parent_of[code]


def _order_parents_first(rows: list[AgencyRow]) -> list[AgencyRow]:
    by_code = {row.code: row for row in rows}
    ordered: list[AgencyRow] = []
    placed: set[str] = set()

    def place(row: AgencyRow) -> None:
        if row.code in placed:
            return
        if row.parent_code in by_code:
            place(by_code[row.parent_code])
        placed.add(row.code)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


@transaction.atomic
def agency_import(*, actor: Any, rows: Sequence[tuple[int, Mapping[str, Any]]]) -> ImportReport:
    """Create or update agencies (and their desks) from rows; all or nothing.

    Rows are keyed by agency code (QĐ 20/2020/QĐ-TTg, or the older QCVN 102:2016 style). A file with
    one bad row imports nothing and reports every bad row.
    """
    parsed = _order_parents_first(parse_agency_rows(rows))
    report = ImportReport()
    for row in parsed:
        parent = Agency.objects.get(code=row.parent_code) if row.parent_code else None
        wanted = {
            "name": row.name,
            "level": row.level,
            "parent": parent,
            "address": row.address,
            "phone": row.phone,
            "email": row.email,
        }
        agency = Agency.objects.filter(code=row.code).first()
        if agency is None:
            agency = Agency.objects.create(code=row.code, **wanted)
            report.created += 1
        elif any(getattr(agency, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(agency, key, value)
            agency.save()
            report.updated += 1
        else:
            report.unchanged += 1
        report.codes.append(agency.code)
        _set_path(agency)
        for desk_code, desk_name, desk_address in row.desks:
            _, created = Desk.objects.update_or_create(
                code=desk_code, defaults={"agency": agency, "name": desk_name, "address": desk_address}
            )
            report.desks += int(created)
    if report.created or report.updated or report.desks:
        audit(
            actor=actor,
            action="agency_import",
            object_type="agencies.Agency",
            summary=f"created {report.created}, updated {report.updated}, desks {report.desks}",
            data={"codes": report.codes[:200]},
        )
    return report


def _set_path(agency: Agency) -> None:
    parent_path = agency.parent.path if agency.parent_id and agency.parent else "/"
    path = f"{parent_path}{agency.pk}/"
    if agency.path != path:
        old = agency.path
        Agency.objects.filter(pk=agency.pk).update(path=path)
        agency.path = path
        if old:  # a moved agency carries its subtree along
            for child in Agency.objects.filter(path__startswith=old).exclude(pk=agency.pk):
                Agency.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])
