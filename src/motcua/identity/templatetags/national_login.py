"""``{% national_login_button %}``: the VNeID button of the login and registration pages, when it is on."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("identity/national_login_button.html", takes_context=True)
def national_login_button(context: Any) -> dict[str, Any]:
    return {"enabled": settings.MOTCUA_NATIONAL_ID_LOGIN_ENABLED, "next": context.get("next", "")}
