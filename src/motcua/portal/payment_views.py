"""The applicant's online payment pages (payments/online.py does the work):

- the pay page of a dossier: its open requests (amount, what for, by when), a provider choice and the
  "pay online" button (POST → the provider's page);
- the return page the provider sends the browser back to: it shows what our database says (the browser's
  query string is never trusted), "confirming…" and a refresh until the provider's callback arrived.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_for
from motcua.payments.constants import AttemptStatus, PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.payments.online import payment_start_online
from motcua.portal.dossier_views import applicant_required

REFRESH_SECONDS = 2  # the return page reloads itself this often while the payment is being confirmed


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = dossier_for(request.user, code)
    if dossier is None or dossier.applicant_id != request.user.pk:
        raise Http404
    return dossier


def _pay_page(request: HttpRequest, dossier: Dossier, *, status: int = 200) -> HttpResponse:
    return render(request, "payments/pay.html", {"dossier": dossier}, status=status)


@never_cache
@applicant_required
def pay_page(request: HttpRequest, code: str) -> HttpResponse:
    return _pay_page(request, _own_dossier(request, code))


@require_POST
@applicant_required
def pay_start(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    if not PaymentRequest.objects.filter(dossier=dossier, reference=reference).exists():
        raise Http404
    try:
        url = payment_start_online(actor=request.user, reference=reference, provider=request.POST.get("provider", ""))
    except DomainError as error:
        messages.error(request, str(error.message))
        return _pay_page(request, dossier, status=error.status)
    # Not a 302: the site's Content-Security-Policy (form-action 'self') stops a form's redirect to another
    # origin; a page that moves on by itself (and a link, should it not) is not a form's navigation.
    return render(request, "payments/pay_redirect.html", {"dossier": dossier, "provider_url": url})


@never_cache
@applicant_required
def pay_return(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    payment = PaymentRequest.objects.filter(dossier=dossier, reference=reference).first()
    if payment is None:
        raise Http404
    # The page refreshes while an attempt started within the double-tap window waits for its callback; past
    # it, the payer is told the provider has not confirmed yet (no endless refresh).
    since = timezone.now() - timedelta(minutes=settings.MOTCUA_PAYMENT_ATTEMPT_REUSE_MINUTES)
    pending = payment.status == PaymentStatus.PENDING
    waiting = pending and payment.attempts.filter(status=AttemptStatus.STARTED, created_at__gte=since).exists()
    context = {
        "dossier": dossier,
        "payment": payment,
        "confirming": waiting,
        "unconfirmed": pending and not waiting,
        "refresh_seconds": REFRESH_SECONDS,
    }
    return render(request, "payments/pay_return.html", context)
