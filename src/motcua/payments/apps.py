from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Fees and payments (DOMAIN.md §9): payment requests from the catalog's fees, online providers with
    signed callbacks, cash and bank transfer at the desk, e-receipts and reconciliation."""

    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Fees and payments")

    def ready(self) -> None:
        from motcua.core import fakes
        from motcua.payments.requests import requests_for_event
        from motcua.payments.sandbox import DEMO_PORT, NAME, build_payment_sandbox
        from motcua.payments.settle import cancel_open_requests
        from motcua.workflow import writer

        # A dossier that ends (withdrawn, refused, stopped) cancels what it had not paid, in its transaction.
        if cancel_open_requests not in writer.on_event_written:
            writer.on_event_written.append(cancel_open_requests)
        # The fees an event asks for (submission, reception, the authority's request, result ready), in its
        # transaction (payments.requests).
        if requests_for_event not in writer.on_event_written:
            writer.on_event_written.append(requests_for_event)
        # The payment sandbox (demo port 8106) plays both online providers' side.
        fakes.register(
            fakes.FakeService(
                name=NAME,
                port=DEMO_PORT,
                build=build_payment_sandbox,
                settings={
                    "MOTCUA_PAYMENT_NATIONAL_URL": "{url}/national/pay",
                    "MOTCUA_PAYMENT_GATEWAY_URL": "{url}/gateway/pay",
                },
            )
        )
