"""The console's effective configuration, as an admin reads it on ``/settings/``.

Each row names a setting, its value in force, its default and the environment variable
that changes it (None when the value is fixed in ``console/settings.py``)::

    for row in effective_settings():
        row.name, row.value, row.default, row.variable

Only what an admin needs to judge the console's behaviour is listed: never a secret,
a password or a database address (the database is named by its kind alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection

from bot.alerts.deadlines import DEFAULT_RULES, ENVIRONMENT
from bot.settings import DEFAULT_REVIEW_MIN_CONFIDENCE, DEFAULT_REVIEW_SAMPLE_RATE

TIER_NAMES = {
    "emergency": "emergency",
    "crisis": "crisis",
    "urgent": "urgent (same day)",
    "soon": "soon",
    "none": "call-back request",
}
DATABASE_KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Defaults of the values bot.settings reads from the environment (see the README).
DEFAULT_IDLE_MINUTES = 15
DEFAULT_RETENTION_DAYS = 2920


@dataclass(frozen=True)
class SettingRow:
    """One setting: what it is, its value in force, its default, and how to change it."""

    name: str
    value: str
    default: str
    variable: str | None

    @property
    def changed(self) -> bool:
        """Say whether the value in force differs from the default."""
        return self.value != self.default


def duration_text(span: timedelta) -> str:
    """Return ``span`` in words, e.g. ``15 minutes`` or ``2 hours``."""
    minutes = int(span.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def deadline_rows() -> list[SettingRow]:
    """Return the acknowledgement deadline of each tier."""
    rules: dict[str, str] = settings.CONSOLE_ACK_DEADLINES
    return [
        SettingRow(
            name=f"Acknowledgement deadline: {TIER_NAMES.get(tier, tier)}",
            value=rules.get(tier) or DEFAULT_RULES[tier],
            default=DEFAULT_RULES[tier],
            variable=variable,
        )
        for tier, variable in ENVIRONMENT.items()
    ]


def sign_in_rows() -> list[SettingRow]:
    """Return the sign-in and session settings."""
    cooloff = settings.AXES_COOLOFF_TIME
    return [
        SettingRow(
            name="Sign-in codes (TOTP) mandatory",
            value="yes" if settings.CONSOLE_REQUIRE_TOTP else "no",
            default="no",
            variable="BACKCARE_CONSOLE_REQUIRE_TOTP",
        ),
        SettingRow(
            name="Idle session signed out after",
            value=duration_text(timedelta(seconds=settings.CONSOLE_IDLE_SECONDS)),
            default=duration_text(timedelta(minutes=DEFAULT_IDLE_MINUTES)),
            variable="BACKCARE_CONSOLE_IDLE_MINUTES",
        ),
        SettingRow(
            name="Failed sign-ins before lockout (per user name and address)",
            value=str(settings.AXES_FAILURE_LIMIT),
            default="5",
            variable=None,
        ),
        SettingRow(
            name="Lockout lasts",
            value=duration_text(cooloff) if isinstance(cooloff, timedelta) else str(cooloff),
            default="15 minutes",
            variable=None,
        ),
    ]


def retention_row() -> SettingRow:
    """Return how long a conversation is kept after its last event."""
    days = int(settings.CONSOLE_RETENTION_DAYS)
    return SettingRow(
        name="Conversations kept after their last event (python -m console purge)",
        value=f"{days} day{'s' if days != 1 else ''}",
        default=f"{DEFAULT_RETENTION_DAYS} days",
        variable="BACKCARE_RETENTION_DAYS",
    )


def fraction_text(value: float) -> str:
    """Return a rate as a percentage, e.g. ``5%`` or ``2.5%``."""
    return f"{value * 100:g}%"


def review_rows() -> list[SettingRow]:
    """Return the review queue's random sample rate and confidence threshold."""
    return [
        SettingRow(
            name="Review queue: conversations sampled at random (the same ones every time)",
            value=fraction_text(float(settings.CONSOLE_REVIEW_SAMPLE_RATE)),
            default=fraction_text(DEFAULT_REVIEW_SAMPLE_RATE),
            variable="BACKCARE_REVIEW_SAMPLE_RATE",
        ),
        SettingRow(
            name="Review queue: messages listed under this intent confidence",
            value=f"{float(settings.CONSOLE_REVIEW_MIN_CONFIDENCE):g}",
            default=f"{DEFAULT_REVIEW_MIN_CONFIDENCE:g}",
            variable="BACKCARE_REVIEW_MIN_CONFIDENCE",
        ),
    ]


def database_row() -> SettingRow:
    """Return the kind of database in use (never its address or password)."""
    return SettingRow(
        name="Database",
        value=DATABASE_KINDS.get(connection.vendor, connection.vendor),
        default="SQLite",
        variable="BACKCARE_DATABASE_URL",
    )


def effective_settings() -> list[SettingRow]:
    """Return every setting the page lists, in the order it lists them."""
    return [
        *deadline_rows(),
        *sign_in_rows(),
        retention_row(),
        *review_rows(),
        database_row(),
    ]
