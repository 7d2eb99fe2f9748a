"""The account of a citizen who submitted a dossier on the national public-service portal.

The national portal lets a citizen in only through the national electronic identity (VNeID, level 2:
Nghị định 69/2024/NĐ-CP), so the personal ID it sends with a dossier is its holder's. The dossier then
belongs to the account with that personal ID, opened here when there is none, so that the citizen
follows it and reuses its documents like any other (the rest of the code identifies an applicant by
that number: ``workflow.services.applicant_id_number``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.core.identifiers import normalize_phone
from motcua.identity.constants import AccountKind, VerificationMethod
from motcua.identity.models import User
from motcua.identity.selectors import phone_taken
from motcua.identity.services import ApplicantData, applicant_errors


class NationalApplicantUnverified(DomainError):
    code = "national_applicant_unverified"
    status = 409
    default_message = _(
        "An account that nobody verified holds this personal ID: a desk must check it against the card before "
        "dossiers from the national portal are attached to it."
    )


@transaction.atomic
def applicant_from_national_portal(*, personal_id: str, full_name: str, phone: str, email: str, address: str) -> User:
    """The verified citizen account with ``personal_id``, opened (verified by national identity) if none.

    An existing account that nobody verified is refused (``NationalApplicantUnverified``): anyone can
    register any number online, and a dossier is never attached to an account someone else may have opened
    with the applicant's number (the same rule as the desk's, ``dossier_receive_at_desk``). The phone is
    kept only when no other account logs in with it (a phone logs in to one account).
    """
    account = User.objects.select_for_update().filter(username=personal_id, kind=AccountKind.CITIZEN).first()
    if account is not None:
        if account.identity_verified_at is None:
            raise NationalApplicantUnverified()
        return account
    data = ApplicantData(full_name=full_name, phone=phone, email=email, address=address, personal_id=personal_id)
    errors = applicant_errors(data, AccountKind.CITIZEN)
    refused = {key: errors[key] for key in ("full_name", "personal_id") if key in errors}
    if refused:
        raise ValidationFailed(details=refused)
    # Phone and e-mail are optional here: one the portal sends malformed, or a phone another account
    # logs in with, is left out rather than refusing the citizen's dossier.
    keep_phone = "phone" not in errors and not phone_taken(phone, exclude=None)
    user = User(
        username=personal_id,
        kind=AccountKind.CITIZEN,
        full_name=full_name.strip(),
        personal_id=personal_id,
        phone=normalize_phone(phone) if keep_phone else "",
        email=email.strip() if "email" not in errors else "",
        address=address.strip()[:255],
        identity_verified_at=timezone.now(),
        identity_verification_method=VerificationMethod.NATIONAL_ID_LOGIN,
    )
    user.set_unusable_password()  # the citizen logs in through national identity, or asks for a password
    user.save()
    audit(actor=None, action="applicant_from_national_portal", obj=user, summary="national portal intake")
    return user
