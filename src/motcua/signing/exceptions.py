from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class SignerUnavailable(DomainError):
    """The person has no signing key and certificate, so nothing can be signed in their name."""

    code = "signer_unavailable"
    status = 409
    default_message = _("No digital signature certificate is set up for this person.")


class NotAPdf(DomainError):
    code = "not_a_pdf"
    status = 400
    default_message = _("The file is not a PDF document.")
