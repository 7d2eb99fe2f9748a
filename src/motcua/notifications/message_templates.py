"""Rendering and checking the message templates that administrators edit (notifications.MessageTemplate).

A template is Django template text over a fixed set of variables (``VARIABLES``), rendered by an engine
of its own: no loaders (no ``include`` or ``extends`` of site templates), no ``load``, only the tags of
``ALLOWED_TAGS``, no HTML escaping (the output is plain text). ``template_errors`` refuses what would not
render or names a variable the messages do not have, so a typo never reaches a citizen as a blank.
"""

from __future__ import annotations

import re
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.notifications.constants import NotificationChannel

MESSAGE_LANGUAGE = "vi"  # messages go to Vietnamese citizens, whatever language the actor used
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")
_UNKNOWN = "\x00{%s}\x00"
_UNKNOWN_FOUND = re.compile("\x00{(.*?)}\x00")

# The variables every message may use, with the example values the check renders them with.
VARIABLES: dict[str, Any] = {
    "code": "H99.101-260309-0001",
    "applicant": "Nguyễn Văn An",
    "procedure": "Thủ tục đăng ký khai sinh",
    "agency": "UBND xã An",
    "tracking_url": "https://dichvucong.example.gov.vn/tra-cuu/H99.101-260309-0001/",
    "due": "10/03/2026 09:00",
    "original_due": "09/03/2026 17:00",
    "reason": "Thiếu bản sao giấy chứng sinh",
    "items": ["Giấy chứng sinh", "Giấy chứng nhận kết hôn"],
    "amount": "50.000",
    "result_number": "123/2026/KS",
    "electronic": False,
    # The satisfaction rating page of the dossier (portal:rate), signed: whoever holds the message may rate.
    "rating_url": "https://dichvucong.example.gov.vn/danh-gia/H99.101-260309-0001:JtOBsDj5lP8vnKlQ0kWm3aFf2QeQ3w0dYj8k9sT1xq4/",
}
# Control flow only: what a message needs, and nothing that reaches other templates or the server.
ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "comment", "endcomment"}
)

_engine = Engine(loaders=[], libraries={}, autoescape=False, string_if_invalid="")
_checking_engine = Engine(loaders=[], libraries={}, autoescape=False, string_if_invalid=_UNKNOWN)


def render(text: str, context: dict[str, Any], *, one_line: bool) -> str:
    """The message: subject and SMS on one line (spaces collapsed), e-mail bodies with trimmed lines and
    at most one blank line in a row."""
    with translation.override(MESSAGE_LANGUAGE):
        rendered = _engine.from_string(text).render(Context(context, autoescape=False))
    return _tidy(rendered, one_line=one_line)


def _tidy(text: str, *, one_line: bool) -> str:
    if one_line:
        return _SPACES.sub(" ", text).strip()
    lines = [line.strip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines))


def template_errors(*, channel: str, subject: str, body: str) -> dict[str, str]:
    """Field → message for each part of a template that cannot be used; empty when it renders.

    Checked: the syntax, the tags (``ALLOWED_TAGS``), the variables (``VARIABLES``), and that the parts a
    channel needs are not empty once rendered (an e-mail needs a subject; an SMS has none).
    """
    errors: dict[str, str] = {}
    parts = {"body": body}
    if channel == NotificationChannel.EMAIL:
        parts["subject"] = subject
    elif subject.strip():
        errors["subject"] = _("An SMS has no subject: leave it empty.")
    for field, text in parts.items():
        problem = _part_problem(text, one_line=field == "subject" or channel == NotificationChannel.SMS)
        if problem:
            errors[field] = problem
    return errors


def _part_problem(text: str, *, one_line: bool) -> str:
    if not text.strip():
        return _("This part cannot be empty.")
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = token.contents.split()[0] if token.contents.split() else ""
            if tag not in ALLOWED_TAGS:
                return _("The tag {%% %(tag)s %%} is not allowed here. Allowed tags: %(allowed)s.") % {
                    "tag": tag,
                    "allowed": ", ".join(sorted(ALLOWED_TAGS)),
                }
    try:
        with translation.override(MESSAGE_LANGUAGE):
            template = _checking_engine.from_string(text)
            outputs = [
                template.render(Context({**VARIABLES, **variant}, autoescape=False))
                for variant in ({}, {"electronic": True, "items": [], "reason": ""})
            ]
    except TemplateSyntaxError as exc:
        return _("The template has a syntax error: %(error)s") % {"error": exc}
    except Exception as exc:  # noqa: BLE001 - any error while rendering means the template is unusable
        return _("The template cannot be rendered: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
    unknown = sorted({name for output in outputs for name in _UNKNOWN_FOUND.findall(output)})
    if unknown:
        return _("Unknown variable: %(names)s. Known variables: %(known)s.") % {
            "names": ", ".join(unknown),
            "known": ", ".join(sorted(VARIABLES)),
        }
    if not _tidy(outputs[0], one_line=one_line):
        return _("This part is empty once rendered.")
    return ""
