"""Back-office outbox: the messages sent (or not) to applicants about dossiers in the user's scope."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.backoffice.access import staff_required
from motcua.core.identifiers import mask
from motcua.identity.constants import Role
from motcua.notifications.selectors import notifications_visible_to

PAGE_SIZE = 50


@staff_required(Role.ADMINISTRATOR, Role.SUPERVISOR)
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # Recipients are personal data: lists show only their last characters (ARCHITECTURE.md §4.8).
    rows = [(notification, mask(notification.recipient, keep=3)) for notification in page]
    return render(request, "backoffice/outbox.html", {"page": page, "rows": rows, "query": ""})
