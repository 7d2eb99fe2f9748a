"""Who can sign, and how: a provider (settings.MOTCUA_SIGNING_PROVIDER) hands out one signer per person.

The default provider is the local key store (keys and certificates under MOTCUA_SIGNING_DIR). Another
provider, e.g. a remote signing service or a USB token bridge, implements ``SignerProvider`` and is named in
the setting; callers only see ``signer_for`` / ``has_signer`` and the ``Signer`` they return.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.signing.exceptions import SignerUnavailable
from motcua.signing.identity import Signer, SignerIdentity
from motcua.signing.store import (
    agency_cert_path,
    agency_key_path,
    ca_cert_path,
    cert_path,
    key_path,
    safe_username,
    signing_dir,
)


class SignerProvider(Protocol):
    def signer_for(self, username: str) -> Signer: ...

    def has_signer(self, username: str) -> bool: ...

    def agency_signer_for(self, agency_code: str) -> Signer: ...

    def has_agency_signer(self, agency_code: str) -> bool: ...


def signer_provider() -> SignerProvider:
    provider: SignerProvider = import_string(settings.MOTCUA_SIGNING_PROVIDER)()
    return provider


def signer_for(username: str) -> Signer:
    """The signer of this person, or ``SignerUnavailable`` when they have no key and certificate."""
    return signer_provider().signer_for(username)


def has_signer(username: str) -> bool:
    return signer_provider().has_signer(username)


def agency_signer_for(agency_code: str) -> Signer:
    """The agency's own signer (its organisation certificate, used by the clerk when issuing a result)."""
    return signer_provider().agency_signer_for(agency_code)


def has_agency_signer(agency_code: str) -> bool:
    return signer_provider().has_agency_signer(agency_code)


class LocalKeyStore:
    """Keys and certificates in files: ``<dir>/<username>.key.pem`` and ``.cert.pem``, chain ``ca/ca.cert.pem``."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or signing_dir()

    def has_signer(self, username: str) -> bool:
        if not safe_username(username):
            return False
        return key_path(self.directory, username).is_file() and cert_path(self.directory, username).is_file()

    def signer_for(self, username: str) -> Signer:
        if not self.has_signer(username):
            raise SignerUnavailable()
        return self._load(key_path(self.directory, username), cert_path(self.directory, username))

    def has_agency_signer(self, agency_code: str) -> bool:
        if not safe_username(agency_code):
            return False
        return (
            agency_key_path(self.directory, agency_code).is_file()
            and agency_cert_path(self.directory, agency_code).is_file()
        )

    def agency_signer_for(self, agency_code: str) -> Signer:
        if not self.has_agency_signer(agency_code):
            raise SignerUnavailable()
        return self._load(agency_key_path(self.directory, agency_code), agency_cert_path(self.directory, agency_code))

    def _load(self, key_file: Path, cert_file: Path) -> Signer:
        from motcua.signing.pades import PadesSigner  # pyHanko takes a second to load: only signers pay it

        chain = ca_cert_path(self.directory)
        return PadesSigner.load(key_file=key_file, cert_file=cert_file, chain_files=[chain] if chain.is_file() else [])


__all__ = ["LocalKeyStore", "Signer", "SignerIdentity", "SignerProvider", "signer_for"]
