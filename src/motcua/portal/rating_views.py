"""The rating page the result's notification links to (issue 17, item 2): no login, the signed link is the
permission; the dossier's code, procedure and unit only (nothing personal), the overall level as three big
choices, the criteria (optional) and a comment. One rating per dossier: ``rating_record`` refuses a second
one (a double tap included) and the page then says it was rated already."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Dossier
from motcua.satisfaction.choices import LEVEL_CHOICES, CriteriaFields
from motcua.satisfaction.constants import RatingChannel
from motcua.satisfaction.exceptions import AlreadyRated, NotRateable
from motcua.satisfaction.models import Criterion
from motcua.satisfaction.selectors import dossier_of_rating_token, is_rateable, is_rated
from motcua.satisfaction.services import COMMENT_MAX, rating_record

THANKS = "cam-on"  # ?cam-on=1 after a rating: the page thanks instead of saying "already rated"


class RatingForm(CriteriaFields, forms.Form):
    level = forms.ChoiceField(
        label=_("Overall, how satisfied are you?"),
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages=dict.fromkeys(("required", "invalid_choice"), _("Choose one of the three answers.")),
    )
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True))


def _page(
    request: HttpRequest, dossier: Dossier, form: RatingForm | None, state: str, status: int = 200
) -> HttpResponse:
    context = {"dossier": dossier, "form": form, "state": state}
    return render(request, "portal/rating/rate.html", context, status=status)


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    dossier = dossier_of_rating_token(token)
    if dossier is None:
        raise Http404
    if is_rated(dossier):
        return _page(request, dossier, None, "thanks" if request.GET.get(THANKS) else "rated")
    if not is_rateable(dossier):
        return _page(request, dossier, None, "not_ready")
    form = RatingForm(request.POST if request.method == "POST" else None, criteria=active_criteria())
    if request.method != "POST":
        return _page(request, dossier, form, "open")
    if not form.is_valid():
        return _page(request, dossier, form, "open", status=400)
    try:
        rating_record(
            dossier=dossier,
            level=form.cleaned_data["level"],
            channel=RatingChannel.ONLINE,
            actor=request.user,
            token=token,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
    except AlreadyRated:  # the other tap of a double tap, or another device: it was counted once
        return _page(request, dossier, None, "rated", status=409)
    except NotRateable:
        return _page(request, dossier, None, "not_ready", status=409)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _page(request, dossier, form, "open", status=error.status)
    return redirect(f"{reverse('portal:rate', kwargs={'token': token})}?{THANKS}=1")
