from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError, NotFound


class DocumentNotInStore(NotFound):
    """Not in the owner's store, or someone else's: the same answer, so that codes cannot be probed."""

    code = "document_not_in_store"
    default_message = _("This document is not in the applicant's data store.")


class DocumentExpired(DomainError):
    code = "document_expired"
    status = 409
    default_message = _("This document is no longer valid: give a new one.")


class DocumentTypeMismatch(DomainError):
    code = "document_type_mismatch"
    default_message = _("This document is not of the type the procedure asks for.")


class DocumentNotReusable(DomainError):
    code = "document_not_reusable"
    default_message = _("This document cannot be taken from the data store: give it.")


class DigitizationFeeMissing(DomainError):
    code = "digitization_fee_missing"
    status = 409
    default_message = _("No digitization fee is set for this agency: an administrator sets it first.")
