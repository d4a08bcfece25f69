"""``python -m console serve``: migrate, then serve the console with waitress.

Listens on ``127.0.0.1:$BACKCARE_CONSOLE_PORT`` (8000 by default); put an HTTPS proxy
in front (and set ``BACKCARE_CONSOLE_HTTPS=1``) to reach it from elsewhere. The
care-team outbox table is created if the bot has not created it yet, with the bot's own
definition, so a fresh install shows an empty queue instead of an error.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from bot.settings import get_settings


class Command(BaseCommand):
    """Serve the console over WSGI (waitress) on loopback."""

    help = "Apply migrations, then serve the console on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the port (default BACKCARE_CONSOLE_PORT)."""
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **options: Any) -> None:
        """Migrate, make sure the outbox exists, and serve until interrupted."""
        import waitress

        from bot.alerts.outbox import ensure_schema
        from bot.db import engine_for
        from bot.runtime.log_privacy import install_log_privacy
        from console.wsgi import application

        install_log_privacy()
        settings = get_settings()
        call_command("migrate", verbosity=0, interactive=False)
        ensure_schema(engine_for(settings.database_url))
        # The launcher stops its parts with SIGINT, then SIGTERM: both end the server,
        # even when a shell started this process with SIGINT ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _stop)
        port = options["port"] or settings.console_port
        self.stdout.write(f"console: http://127.0.0.1:{port}/", ending="\n")
        self.stdout.flush()
        waitress.serve(application, host="127.0.0.1", port=port, threads=options["threads"])


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)
