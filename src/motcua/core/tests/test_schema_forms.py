from motcua.core.schema_forms import json_data, schema_form_class

SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "maxLength": 100},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"], "title": "Giới tính"},
        "so_ban": {"type": "integer", "minimum": 1, "title": "Số bản"},
        "ghi_chu": {"type": "string", "maxLength": 2000},
    },
    "required": ["ho_ten", "ngay_sinh", "gioi_tinh"],
}


def test_form_follows_the_schema_and_yields_json() -> None:
    form = schema_form_class(SCHEMA)({"ho_ten": "An", "ngay_sinh": "2026-03-01", "gioi_tinh": "Nữ", "so_ban": "2"})
    assert list(form.fields) == ["ho_ten", "ngay_sinh", "gioi_tinh", "so_ban", "ghi_chu"]
    assert form.fields["ngay_sinh"].label == "Ngày sinh"
    assert form.is_valid(), form.errors
    assert json_data(form.cleaned_data) == {"ho_ten": "An", "ngay_sinh": "2026-03-01", "gioi_tinh": "Nữ", "so_ban": 2}


def test_missing_and_bad_values_are_field_errors() -> None:
    form = schema_form_class(SCHEMA)({"ngay_sinh": "31/02/2026", "gioi_tinh": "Khác", "so_ban": "0"})
    assert not form.is_valid()
    assert sorted(form.errors) == ["gioi_tinh", "ho_ten", "ngay_sinh", "so_ban"]


def test_field_order_survives_a_store_that_sorts_keys() -> None:
    from motcua.core.schema_forms import ordered_properties, with_property_order

    stored = with_property_order(SCHEMA)
    assert stored["x-property-order"] == ["ho_ten", "ngay_sinh", "gioi_tinh", "so_ban", "ghi_chu"]
    # PostgreSQL's jsonb gives keys back sorted by length: the recorded order wins.
    shuffled = {**stored, "properties": dict(sorted(SCHEMA["properties"].items(), key=lambda kv: len(kv[0])))}
    assert [name for name, _spec in ordered_properties(shuffled)] == stored["x-property-order"]
    assert list(schema_form_class(shuffled).base_fields) == stored["x-property-order"]
    assert with_property_order(stored) is stored


def test_a_required_choice_starts_blank_and_must_be_chosen() -> None:
    form = schema_form_class(SCHEMA)({"ho_ten": "An", "ngay_sinh": "2026-03-01", "so_ban": "2"})

    assert form["gioi_tinh"].value() is None
    assert list(form.fields["gioi_tinh"].choices) == [("", "—"), ("Nam", "Nam"), ("Nữ", "Nữ")]
    assert not form.is_valid() and list(form.errors) == ["gioi_tinh"]
