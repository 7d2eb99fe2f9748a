from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError, ValidationFailed


class FileRejected(ValidationFailed):
    code = "file_rejected"
    default_message = _("The file was not accepted.")


class FormInvalid(ValidationFailed):
    code = "form_invalid"
    default_message = _("The e-form has errors.")


class NotOffered(DomainError):
    code = "procedure_not_offered"
    default_message = _("This procedure is not offered by the chosen agency or not online.")
