from typing import Any

from rest_framework.pagination import CursorPagination, PageNumberPagination


def _nullable_links(schema: dict[str, Any]) -> dict[str, Any]:
    # DRF describes next/previous with OpenAPI 3.0's `nullable`; the spec is 3.1 (plain JSON Schema).
    for key in ("next", "previous"):
        link = schema["properties"].get(key)
        if link is not None and link.pop("nullable", False):
            link["type"] = [link["type"], "null"]
    return schema


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return _nullable_links(super().get_paginated_response_schema(schema))


class LargeListPagination(CursorPagination):
    """For lists that grow without bound (dossiers, events): constant cost per page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return _nullable_links(super().get_paginated_response_schema(schema))
