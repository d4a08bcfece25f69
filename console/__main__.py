"""Run one of the console's manage commands: ``python -m console <command> [options]``.

``createuser NAME --role clinician|admin`` and ``serve`` are the console's own; every
Django command (``migrate``, ``check``...) works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run the Django management command named in ``argv`` (``sys.argv[1:]`` by default)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["python -m console", *arguments])


if __name__ == "__main__":
    main()
