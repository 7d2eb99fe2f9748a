from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class AccountExists(DomainError):
    code = "account_exists"
    status = 409
    default_message = _("An account with this identification number already exists.")
