from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.province import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_logins, load_demo_province


class Command(BaseCommand):
    help = "Load the demo province (idempotent: a second run changes nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo_province()
        self.stdout.write(
            f"demo province: {report['agencies_created']} agencies, {report['procedures_created']} procedures, "
            f"{report['document_types_created']} document types, "
            f"{report['staff_created']} staff and {report['citizens_created']} citizens created; "
            f"{report['certificates']} leaders hold a demo signing certificate"
        )
        if not options["quiet_logins"]:
            print_logins(self.stdout)


def print_logins(out: Any) -> None:
    out.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, login, where in demo_logins():
        out.write(f"  {role:<22} {login:<16} {where}")
    print_second_factor_note(out)


def print_second_factor_note(out: Any) -> None:
    out.write(
        "Staff logins then ask for a 6-digit code (second factor). Every demo staff account uses the demo\n"
        f"authenticator secret {DEMO_TOTP_SECRET} (TOTP, 30 s, 6 digits): add it to any authenticator app,\n"
        "or run `python manage.py demo_totp` for the current code. Citizens need no code."
    )
