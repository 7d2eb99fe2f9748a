"""The demo province is realistic for reuse (issue 14 §3): document types with their validity rules, and
at least two commune procedures that both ask for the birth extract and the ID card, reusable."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.demo.province import load_demo_province, read_json
from motcua.documents.models import DocumentType

pytestmark = pytest.mark.django_db


def test_at_least_two_commune_procedures_online_ask_for_the_birth_extract_and_the_id_card() -> None:
    both = []
    for procedure in read_json("catalog.json")["procedures"]:
        reusable = {d["document_type_code"] for d in procedure["required_documents"] if d["reusable"]}
        always = {d["document_type_code"] for d in procedure["required_documents"] if d["requirement"] == "always"}
        if {"GKS", "CCCD"} <= reusable & always and "commune" in procedure["levels"]:
            assert procedure["online_mode"] != "none"
            both.append(procedure["code"])
    assert both == ["1.004859", "1.004884"]


def test_every_reusable_type_of_the_demo_catalog_has_a_validity_rule() -> None:
    rules = {row["code"]: row["validity_months"] for row in read_json("document_types.json")}
    reusable = {
        d["document_type_code"]
        for p in read_json("catalog.json")["procedures"]
        for d in p["required_documents"]
        if d["reusable"] and d["document_type_code"]
    }
    assert reusable <= set(rules)
    assert (rules["CCCD"], rules["GKS"], rules["GCNKH"], rules["GXNTTHN"]) == (6, None, None, 6)


def test_loading_the_demo_twice_loads_the_types_and_the_reusable_documents_once() -> None:
    first = load_demo_province()
    assert first["document_types_created"] == len(read_json("document_types.json")) == DocumentType.objects.count()
    again = load_demo_province()
    assert (again["document_types_created"], again["procedures_created"]) == (0, 0)
    version = Procedure.objects.get(code="1.004884").current_version
    documents = RequiredDocument.objects.filter(version=version).order_by("position")
    assert [(d.document_type_code, d.reusable) for d in documents] == [
        ("TKDLKS", False),
        ("GKS", True),
        ("CCCD", True),
        ("VBUQ", False),
    ]
    assert Procedure.objects.get(code="1.004884").versions.count() == 1
