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


class NationalLoginRefused(DomainError):
    """National-ID login (identity.national_login) that cannot go on; nothing was written. The ``code`` says
    why: ``claim_missing``, ``staff_account``, ``account_inactive``, ``account_ambiguous``."""

    code = "national_login_refused"
    status = 403
    default_message = _("Logging in with national identity did not succeed. Nothing was changed.")


class NationalIdClaimMissing(NationalLoginRefused):
    code = "claim_missing"
    default_message = _(
        "The national identity service did not give a valid personal identification number and full name, so "
        "you cannot be logged in with it. Nothing was changed and no account was opened."
    )


class NationalIdStaffRefused(NationalLoginRefused):
    code = "staff_account"
    default_message = _(
        "This personal identification number belongs to a staff account, which cannot log in with national "
        "identity. Log in with your staff login name and password."
    )


class NationalIdAccountInactive(NationalLoginRefused):
    code = "account_inactive"
    default_message = _("The account with this personal identification number is locked. Ask a one-stop desk.")


class NationalIdAccountAmbiguous(NationalLoginRefused):
    code = "account_ambiguous"
    default_message = _(
        "Several accounts carry this personal identification number. Bring your identity card to a one-stop "
        "desk to have them put right."
    )
