from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from motcua.identity.selectors import is_staff_member, roles_of


def staff_navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return {"is_staff_member": False, "staff_roles": set()}
    return {"is_staff_member": True, "staff_roles": roles_of(user)}
