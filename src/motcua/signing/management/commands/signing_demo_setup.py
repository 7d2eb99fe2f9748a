"""Create the demo certificate authority and signing certificates for demo users and agencies (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.signing.ca import CA_ORGANISATION, demo_agency_certificate_issue, demo_ca_ensure, demo_certificate_issue
from motcua.signing.store import agency_cert_path, ca_cert_path, cert_path, safe_username


class Command(BaseCommand):
    help = (
        "Create the demo certificate authority (once) and a signing key and certificate per user. "
        "For demonstrations only: the certificates are not from a licensed provider."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            metavar="USERNAME[:Full Name[:Organisation]]",
            help="A person who gets a certificate; repeat for several.",
        )
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            metavar="CODE:Agency name",
            help="An agency that gets its own certificate (the clerk seals its results with it); repeat for several.",
        )
        parser.add_argument("--dir", type=Path, default=None, help="Defaults to MOTCUA_SIGNING_DIR.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"] or Path(settings.MOTCUA_SIGNING_DIR)
        people = [_parse(value) for value in options["user"]]
        agencies = [_parse_agency(value) for value in options["agency"]]
        ca_before = _content(ca_cert_path(directory))
        ca_file = demo_ca_ensure(directory)
        if _content(ca_file) != ca_before:
            self.stdout.write(f"Created the demo certificate authority: {ca_file}")
        for username, full_name, organisation in people:
            cert_file = cert_path(directory, username)
            before = _content(cert_file)
            demo_certificate_issue(directory, username=username, full_name=full_name, organisation=organisation)
            if _content(cert_file) != before:
                self.stdout.write(f"Issued a certificate to {username} ({full_name}, {organisation}): {cert_file}")
        for code, name in agencies:
            cert_file = agency_cert_path(directory, code)
            before = _content(cert_file)
            demo_agency_certificate_issue(directory, agency_code=code, agency_name=name)
            if _content(cert_file) != before:
                self.stdout.write(f"Issued an agency certificate to {code} ({name}): {cert_file}")


def _parse(value: str) -> tuple[str, str, str]:
    username, _, rest = value.partition(":")
    full_name, _, organisation = rest.partition(":")
    username = username.strip()
    if not safe_username(username):
        raise CommandError(f"Not a usable username: {value!r}")
    return username, full_name.strip() or username, organisation.strip() or CA_ORGANISATION


def _parse_agency(value: str) -> tuple[str, str]:
    code, _, name = value.partition(":")
    code = code.strip()
    if not safe_username(code) or not name.strip():
        raise CommandError(f"Give an agency as CODE:Agency name, not {value!r}")
    return code, name.strip()


def _content(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
