from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError, ValidationFailed


class VersionImmutable(DomainError):
    code = "version_immutable"
    status = 409
    default_message = _("A published procedure version cannot be changed; create a new version instead.")


class CatalogImportRejected(ValidationFailed):
    code = "import_rejected"
    default_message = _("The catalog file has errors; nothing was imported.")


class UnknownCase(ValidationFailed):
    code = "unknown_case"
    default_message = _("The chosen case is not one of this procedure's cases.")


class DraftInvalid(ValidationFailed):
    code = "draft_invalid"
    default_message = _("The draft has errors; it was not published.")


class GuideTextInvalid(ValidationFailed):
    code = "guide_text_invalid"
    default_message = _("The guide's text is too long; nothing was saved.")
