"""``manage.py check --deploy``: the external services' secrets whose defaults are published.

The demo's fakes (core/fakes.py) sign with secrets written in settings.py; a production site that kept one
would accept a forged payment callback, SMS receipt or portal answer from anyone who read the code. So each
secret of a service in use must come from the environment outside the demo (MOTCUA_DEMO=1)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def _in_use() -> dict[str, bool]:
    """Environment variable → whether the service that signs with it is in use."""
    sms_gateway = settings.MOTCUA_SMS_CHANNEL.endswith("GatewaySmsChannel")
    return {
        "MOTCUA_NATIONAL_PORTAL_SECRET": settings.MOTCUA_NATIONAL_SYNC_ENABLED
        or settings.MOTCUA_NATIONAL_INTAKE_ENABLED,
        "MOTCUA_NATIONAL_ID_CLIENT_SECRET": settings.MOTCUA_NATIONAL_ID_LOGIN_ENABLED,
        "MOTCUA_POPULATION_SECRET": True,
        "MOTCUA_POST_SECRET": True,
        "MOTCUA_SMS_GATEWAY_SECRET": sms_gateway,
        "MOTCUA_SMS_RECEIPT_SECRET": sms_gateway,
        "MOTCUA_PAYMENT_NATIONAL_SECRET": "national" in settings.MOTCUA_PAYMENT_PROVIDERS,
        "MOTCUA_PAYMENT_GATEWAY_SECRET": "gateway" in settings.MOTCUA_PAYMENT_PROVIDERS,
    }


@register(Tags.security, deploy=True)
def published_demo_secrets(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEMO:
        return []
    return [
        Error(
            f"{name} is not set: the service would sign with the demo's published secret.",
            hint="Set it to the secret agreed with the provider, or turn the service off.",
            id="motcua.E001",
        )
        for name, used in _in_use().items()
        if used and not os.environ.get(name)
    ]
