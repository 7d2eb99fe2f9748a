"""The online payment providers this site offers (setting ``MOTCUA_PAYMENT_PROVIDERS``, a list of codes)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError
from motcua.payments.providers.base import Provider
from motcua.payments.providers.gateway import GatewayProvider
from motcua.payments.providers.national import NationalProvider

KNOWN: dict[str, type] = {NationalProvider.code: NationalProvider, GatewayProvider.code: GatewayProvider}


class ProviderUnknown(DomainError):
    code = "payment_provider_unknown"
    status = 404
    default_message = _("This payment provider is not offered.")


def enabled_codes() -> list[str]:
    return [code for code in settings.MOTCUA_PAYMENT_PROVIDERS if code in KNOWN]


def provider_for(code: str) -> Provider:
    """The provider ``code`` with the current settings (built on each call: tests and the demo change them)."""
    if code not in enabled_codes():
        raise ProviderUnknown()
    provider: Provider = KNOWN[code]()
    return provider


def enabled() -> list[Provider]:
    return [provider_for(code) for code in enabled_codes()]
