"""Administrators edit the texts of the messages sent to applicants (issue 15, item 5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from motcua.notifications import message_templates
from motcua.notifications.models import MessageTemplate
from motcua.notifications.services import message_template_save


class MessageTemplateForm(forms.ModelForm[MessageTemplate]):
    class Meta:
        model = MessageTemplate
        fields = ["kind", "channel", "subject", "body", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            names = ", ".join("{{ " + name + " }}" for name in message_templates.VARIABLES)
            self.fields["body"].help_text = _(
                "Variables: %(names)s. Tags: if, for, with, firstof. "
                "An SMS is sent on one line; an e-mail keeps its lines."
            ) % {"names": names}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The same check as the service's, shown on the fields (message_template_save refuses it too).
        errors = message_templates.template_errors(
            channel=data.get("channel") or self.instance.channel,
            subject=data.get("subject", ""),
            body=data.get("body", ""),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin[MessageTemplate]):
    form = MessageTemplateForm
    list_display = ["kind", "channel", "subject", "active", "updated_by", "updated_at"]
    list_filter = ["channel", "active", "kind"]
    readonly_fields = ["updated_by", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: MessageTemplate | None = None) -> Any:
        # A template is one kind on one channel for good; its text and whether it is sent change.
        return [*self.readonly_fields, "kind", "channel"] if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool) -> None:
        message_template_save(actor=request.user, template=obj)

    def has_delete_permission(self, request: HttpRequest, obj: MessageTemplate | None = None) -> bool:
        return False  # switch a message off with "active" instead; without a row the shipped text is sent
