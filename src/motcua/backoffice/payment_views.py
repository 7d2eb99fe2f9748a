"""The desk's payment actions on a dossier: record cash or a bank transfer, exempt a fee, print the receipt
(payments.desk, payments.requests, payments.receipts). Scoped: a dossier the officer does not see is 404;
recording and exempting are for desk officers of the receiving agency (the services refuse anyone else)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import message_domain_error, message_form_errors
from motcua.dossiers.selectors import dossier_for
from motcua.payments.constants import CallbackOutcome, PaymentMethod
from motcua.payments.desk import payment_record_at_desk
from motcua.payments.models import PaymentRequest
from motcua.payments.receipts import receipt_file
from motcua.payments.requests import payment_exempt


class PaymentRecordForm(forms.Form):
    method = forms.ChoiceField(
        label=pgettext_lazy("payment", "Paid by"),
        choices=[
            (PaymentMethod.CASH.value, pgettext_lazy("payment method", "Cash")),
            (PaymentMethod.TRANSFER.value, pgettext_lazy("payment method", "Bank transfer")),
        ],
    )
    amount = forms.IntegerField(label=gettext_lazy("Amount received (VND)"), min_value=0)
    bank_transaction = forms.CharField(
        label=gettext_lazy("Bank's transaction number (transfer)"), max_length=120, required=False
    )


class PaymentExemptForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount after exemption (VND, 0: fully exempted)"), min_value=0)
    reason = forms.CharField(label=gettext_lazy("Reason of the exemption"), max_length=500)


def _request_of(request: HttpRequest, code: str, reference: str) -> PaymentRequest:
    dossier = dossier_for(request.user, code)
    found = PaymentRequest.objects.filter(dossier=dossier, reference=reference).first() if dossier else None
    if found is None:
        raise Http404
    return found


def _back(code: str) -> HttpResponse:
    return redirect(reverse("backoffice:dossier", args=[code]) + "#payments")


@staff_required()
@require_POST
def dossier_payment_record(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """Cash or a bank transfer received at the desk; a second submit says it was recorded before."""
    payment = _request_of(request, code, reference)
    form = PaymentRecordForm(request.POST)
    if not form.is_valid():
        message_form_errors(request, form)
        return _back(code)
    try:
        settled = payment_record_at_desk(
            actor=request.user,
            reference=payment.reference,
            method=form.cleaned_data["method"],
            amount=form.cleaned_data["amount"],
            bank_transaction=form.cleaned_data["bank_transaction"],
        )
    except DomainError as exc:
        message_domain_error(request, exc)
        return _back(code)
    if settled.outcome == CallbackOutcome.DUPLICATE:
        messages.info(request, _("Already recorded before."))
    else:
        messages.success(
            request,
            _("Payment recorded: receipt %(number)s.") % {"number": settled.request.receipt_number},
        )
    return _back(code)


@staff_required()
@require_POST
def dossier_payment_exempt(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """The desk exempts a fee, fully or to a lower amount, with the reason."""
    payment = _request_of(request, code, reference)
    form = PaymentExemptForm(request.POST)
    if not form.is_valid():
        message_form_errors(request, form)
        return _back(code)
    try:
        payment_exempt(
            actor=request.user,
            reference=payment.reference,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        message_domain_error(request, exc)
        return _back(code)
    messages.success(request, _("Exemption recorded."))
    return _back(code)


@require_GET
@staff_required()
@never_cache  # personal data: no shared or browser cache keeps a copy
def dossier_payment_receipt(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """The e-receipt of a paid request of a dossier the staff member sees (the download is audited)."""
    found = receipt_file(request.user, code, reference, staff=True)
    if found is None:
        raise Http404
    pdf, filename = found
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
