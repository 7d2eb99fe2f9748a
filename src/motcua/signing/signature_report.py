"""What a check of a PDF's signatures reports, and the sentence that sums up each signature.

Shared by ``pades`` (which checks) and ``verify`` (which answers); it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_name: str  # common name of the signing certificate
    signer_organisation: str
    signer_subject: str  # RFC 4514
    issuer_name: str
    signed_at: datetime | None  # as the signer's software stated it (no time-stamp authority); aware
    intact: bool  # the signed bytes are unchanged, and only safe updates (e.g. more signatures) follow them
    trusted: bool  # the signer's certificate chains to a trust root
    valid: bool  # intact, trusted, and the signature itself checks out
    summary: str

    @classmethod
    def unreadable(cls, field_name: str) -> SignatureReport:
        return cls(
            field_name=field_name,
            signer_name="",
            signer_organisation="",
            signer_subject="",
            issuer_name="",
            signed_at=None,
            intact=False,
            trusted=False,
            valid=False,
            summary=_("The signature could not be read."),
        )


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureReport]

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def all_valid(self) -> bool:
        return self.signed and all(signature.valid for signature in self.signatures)


def signature_summary(*, name: str, intact: bool, sound: bool, trusted: bool) -> str:
    """One sentence on a signature; ``sound``: the signature value matches the signer's key."""
    if intact and sound and trusted:
        return _("Valid signature of %(name)s; the document has not been changed since it was signed.") % {"name": name}
    if not intact:
        return _("The document was changed after it was signed, or the signature is damaged.")
    if not sound:
        return _("The signature is not valid.")
    return _("The document is unchanged, but the signer's certificate is not from a trusted authority.")
