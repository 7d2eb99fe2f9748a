"""Give an integrated system (a sector system, a provincial portal) its API key, with its scope.

    manage.py system_token_create --username he-thong-tu-phap --name "Hệ thống ngành Tư pháp" \\
        --agency H99.101 --subagencies --role specialist --action take --action forward --days 365

The system's staff account is made when it does not exist (with a random password nobody knows: it only
calls the API) and given the ``--role`` grants on the agencies; the key is printed once.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.core.exceptions import DomainError
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.identity.services import role_grant, staff_create
from motcua.identity.tokens import system_token_create
from motcua.workflow.constants import Action

# What a key may be given: the workflow's actions, as the API's endpoints take them (submission on behalf
# of applicants is its own right, ``--on-behalf``).
GRANTABLE = sorted(set(Action.values) - {Action.SUBMIT})


class Command(BaseCommand):
    help = "Create an integrated system's API token (its scope: agencies, actions, on-behalf submission)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="the system's staff account (made if missing)")
        parser.add_argument("--name", required=True, help="the system's name, shown in audits")
        parser.add_argument("--agency", action="append", required=True, help="agency code of the scope (repeat)")
        parser.add_argument("--subagencies", action="store_true", help="the scope includes the sub-agencies")
        parser.add_argument("--action", action="append", default=[], choices=GRANTABLE, help="action (repeat)")
        parser.add_argument("--on-behalf", action="store_true", help="may submit on behalf of applicants")
        parser.add_argument("--role", action="append", default=[], choices=Role.values, help="grant on each agency")
        parser.add_argument("--days", type=int, default=None, help="validity in days (default: the setting)")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["agency"]
        agencies = list(Agency.objects.filter(code__in=codes, is_active=True).order_by("code"))
        unknown = sorted(set(codes) - {a.code for a in agencies})
        if unknown:
            raise CommandError(f"unknown agency: {', '.join(unknown)}")
        try:
            with transaction.atomic():
                user = User.objects.filter(username=options["username"]).first() or staff_create(
                    actor=None,
                    username=options["username"],
                    full_name=options["name"],
                    email="",
                    password=secrets.token_urlsafe(32),
                )
                for role in options["role"]:
                    for agency in agencies:
                        role_grant(
                            actor=None, user=user, role=role, agency=agency, include_subagencies=options["subagencies"]
                        )
                token, key = system_token_create(
                    actor=None,
                    user=user,
                    name=options["name"],
                    agencies=agencies,
                    actions=options["action"],
                    include_subagencies=options["subagencies"],
                    on_behalf=options["on_behalf"],
                    days=options["days"],
                )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message} {exc.details or ''}".strip()) from exc
        self.stdout.write(f"token {token.pk} for {user.username}, valid until {token.expires_at:%Y-%m-%d}")
        self.stdout.write(f"key (shown once): {key}")
