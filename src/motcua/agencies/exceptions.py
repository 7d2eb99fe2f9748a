from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import ValidationFailed


class ImportRejected(ValidationFailed):
    """At least one row is bad: nothing was imported. ``details`` lists errors per row number."""

    code = "import_rejected"
    default_message = _("The file has errors; nothing was imported.")
