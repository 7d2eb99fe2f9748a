from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class AccountExists(DomainError):
    code = "account_exists"
    status = 409
    default_message = _("An account with this identification number already exists.")


class RegistrationRefused(DomainError):
    """Online registration with a personal ID, enterprise code or phone that belongs to an account: one
    message for all, which does not say which (the owner is told by e-mail)."""

    code = "registration_refused"
    status = 409
    default_message = _(
        "An account cannot be opened online with these details. If you already have an account, log in or "
        "reset your password; otherwise bring your identity card to a one-stop desk."
    )


class ApplicantUnverified(DomainError):
    """A desk receives a dossier for an account whose identity nobody has checked against the card."""

    code = "applicant_unverified"
    status = 409
    default_message = _(
        "This account's identity has not been checked. Compare the applicant's identity card with the account "
        "and mark it verified before receiving a dossier for it."
    )
