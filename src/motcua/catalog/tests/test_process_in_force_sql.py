"""``process_in_force`` (SQL built once) reads the process the ORM reads: the newest published one."""

from __future__ import annotations

from typing import Any

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Procedure, Process
from motcua.catalog.processes import default_steps, process_ensure, process_in_force, process_publish


def orm_in_force(procedure: Procedure, agency: Any) -> Process | None:
    return (
        Process.objects.filter(procedure=procedure, agency=agency, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def test_the_process_in_force_is_the_one_the_orm_reads(province: dict[str, Any], catalog: Any) -> None:
    procedure = Procedure.objects.select_related("current_version").get(code="1.001193")
    agency = province["commune_a"]
    assert process_in_force(procedure_id=procedure.pk, agency_id=agency.pk) is None is orm_in_force(procedure, agency)

    first = process_ensure(version=procedure.current_version, agency=agency)  # type: ignore[arg-type]
    second = process_publish(
        actor=None,
        procedure=procedure,
        agency=agency,
        steps=default_steps(procedure.current_version),  # type: ignore[arg-type]
    )
    fast = process_in_force(procedure_id=procedure.pk, agency_id=agency.pk)
    orm = orm_in_force(procedure, agency)

    assert fast is not None and orm is not None and (fast.pk, first.pk != second.pk) == (second.pk, True)
    assert not fast._state.adding and fast._state.db == "default"
    for field in Process._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(orm, field.attname), field.attname
    assert process_in_force(procedure_id=procedure.pk, agency_id=province["commune_b"].pk) is None
