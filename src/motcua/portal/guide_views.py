"""Guidance for online services (issue 17, item 5): a procedure's step-by-step online guide, and the desks'
boards listing the procedures offered online with a QR code each: printable A4 (HTML and PDF) and a
full-screen mode for a TV at the centre.

All public: the boards hang at the desks and the TV needs no account; they show catalog data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.constants import OnlineMode
from motcua.catalog.guide import BoardPlace, board_place, board_places, chunks, online_procedures, procedure_guide
from motcua.catalog.models import Procedure
from motcua.core.site import absolute_url
from motcua.integrations.postal_selectors import tariff_notices

# Procedures per TV screen, and seconds per screen (``?giay=``, kept within the bounds).
DISPLAY_PER_SCREEN = 3
DISPLAY_SECONDS = 15
DISPLAY_SECONDS_BOUNDS = (5, 120)
DISPLAY_MODE = "man-hinh"


def guide_url(code: str) -> str:
    """The guide page of a procedure, absolute: it leaves the site on paper and on the TV's QR codes."""
    return absolute_url(reverse("portal:guide", kwargs={"code": code}))


@lru_cache(maxsize=4096)
def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data URI (the CSP allows data: images), quiet zone included so it scans on any
    background. Error level M like the slips' codes. Kept in memory: encoding costs tens of milliseconds in
    pure Python, a board has dozens, and a guide's address only changes with the site's."""
    return str(segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=2))


def guide_page(request: HttpRequest, code: str) -> HttpResponse:
    guide = procedure_guide(code)
    if guide is None:
        raise Http404
    places = [agency for agency, _desks in guide.places]
    context = {
        "guide": guide,
        "procedure": guide.procedure,
        "version": guide.version,
        "national_login": settings.MOTCUA_NATIONAL_ID_LOGIN_ENABLED,
        "postal_notices": tariff_notices(places) if guide.online else [],
        "cases": list(guide.version.cases.all()),
    }
    return render(request, "portal/guide/guide.html", context)


def guide_boards(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/guide/boards.html", {"places": board_places()})


@dataclass(frozen=True)
class BoardEntry:
    number: int
    procedure: Procedure
    online_mode_label: str
    url: str
    qr: str


def _entries(place: BoardPlace) -> list[BoardEntry]:
    entries = []
    for number, procedure in enumerate(online_procedures(place.agency), start=1):
        url = guide_url(procedure.code)
        label = str(OnlineMode(procedure.online_mode).label)
        entries.append(
            BoardEntry(number=number, procedure=procedure, online_mode_label=label, url=url, qr=qr_svg_data_uri(url))
        )
    return entries


def _place_or_404(code: str) -> BoardPlace:
    place = board_place(code)
    if place is None:
        raise Http404
    return place


def _board_context(place: BoardPlace) -> dict[str, Any]:
    entries = _entries(place)
    return {
        "place": place,
        "entries": entries,
        "printed_on": timezone.localdate(),
        "boards_url": absolute_url(reverse("portal:guide-boards")),
    }


def _display_seconds(raw: str | None) -> int:
    low, high = DISPLAY_SECONDS_BOUNDS
    try:
        return min(max(int(raw or DISPLAY_SECONDS), low), high)
    except ValueError:
        return DISPLAY_SECONDS


def guide_board(request: HttpRequest, code: str) -> HttpResponse:
    """The A4 board as a page to print; ``?che-do=man-hinh``: the TV's full-screen cycling display."""
    place = _place_or_404(code)
    context = _board_context(place)
    if request.GET.get("che-do") == DISPLAY_MODE:
        context |= {
            "screens": chunks(context["entries"], DISPLAY_PER_SCREEN),
            "seconds": _display_seconds(request.GET.get("giay")),
        }
        return render(request, "portal/guide/display.html", context)
    return render(request, "portal/guide/board.html", context)


def board_pdf(place: BoardPlace) -> bytes:
    """The board as an A4 PDF: the same rows, the board's heading repeated on every page."""
    # The page's own style sheet, inlined: weasyprint renders the string without fetching anything.
    path = finders.find("motcua/guide.css")
    css = Path(path).read_text(encoding="utf-8") if isinstance(path, str) else ""
    html = render_to_string("portal/guide/board.html", {**_board_context(place), "css": css})
    # Imported here: loading Pango takes a moment that only PDF downloads should pay.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def guide_board_pdf(request: HttpRequest, code: str) -> HttpResponse:
    place = _place_or_404(code)
    response = HttpResponse(board_pdf(place), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bang-huong-dan-{place.code}.pdf"'
    return response
