from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.province import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = "Print the current 6-digit code of the demo staff accounts' authenticator."

    def handle(self, *args: Any, **options: Any) -> None:
        code, seconds = demo_totp_code()
        self.stdout.write(f"{code}  (valid for {seconds} more seconds; secret {DEMO_TOTP_SECRET})")
