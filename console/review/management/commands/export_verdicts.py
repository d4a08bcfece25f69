"""``python -m console export_verdicts [--out FILE]``: the review verdicts as a safety batch.

Writes the YAML of :func:`console.review.export.export_yaml` to ``FILE`` (standard
output without it) and audits the export (the count, never a message).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from console.audit.models import Kind
from console.audit.record import record
from console.review.export import export_yaml
from console.review.models import Verdict

AUDIT_USERNAME = "export_verdicts (command line)"


class Command(BaseCommand):
    """Export the verdicts in the safety suite's batch format."""

    help = "Write the clinicians' review verdicts as a safety-suite batch (YAML)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take ``--out FILE``."""
        parser.add_argument("--out", type=Path, help="write to this file (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the batch; audit the export."""
        verdicts = list(Verdict.objects.all())
        text = export_yaml(verdicts, timezone.now())
        out: Path | None = options["out"]
        if out is None:
            self.stdout.write(text, ending="")
        else:
            out.write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(verdicts)} verdict(s) written to {out}")
        record(
            None,
            Kind.VERDICT_EXPORT,
            target="verdicts",
            detail=f"{len(verdicts)} verdicts; command line",
            username=AUDIT_USERNAME,
        )
