"""``python -m console createuser NAME --role clinician|admin``: add a console user.

The password is read from standard input when it is not a terminal (one line), so a
script can pipe it in; at a terminal it is asked for twice. It must pass the password
validators. The database is migrated first, so this works on a fresh database.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from console.accounts.roles import ROLES, sync_roles


class Command(BaseCommand):
    """Create a console user with one role."""

    help = "Create a console user with the role clinician or admin."
    stealth_options = ("stdin",)  # tests pass a stream, as for createsuperuser

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the user name and the role."""
        parser.add_argument("name")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the user, or fail with the reason."""
        name = str(options["name"]).strip()
        role = str(options["role"])
        call_command("migrate", verbosity=0, interactive=False)
        sync_roles()
        users = get_user_model()
        if users.objects.filter(username=name).exists():
            raise CommandError(f"a user named {name!r} already exists")
        password = self._read_password(options.get("stdin") or sys.stdin)
        candidate = users(username=name)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("password refused: " + " ".join(error.messages)) from error
        with transaction.atomic():
            user = users.objects.create_user(username=name, password=password)
            user.groups.add(Group.objects.get(name=role))
        self.stdout.write(f"created {role} {name!r}")

    def _read_password(self, stdin: Any) -> str:
        if not stdin.isatty():
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("no password on standard input")
            return str(password)
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
