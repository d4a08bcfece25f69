"""Typed settings read from environment variables, in one place.

Every part of the product (Rasa components, channels, the action server, scripts) reads
its configuration through :func:`get_settings`. Defaults work on a developer machine
with the embedded SQLite store under ``var/``. Secrets have no default: a feature that
needs one refuses to start when it is missing or still a placeholder, instead of
running half-configured::

    from bot.settings import get_settings

    settings = get_settings()
    settings.require("twilio_auth_token")
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from bot.alerts.deadlines import rules_from_environment
from bot.reminders.schedule import QuietHours, zone_of

REPO_ROOT = Path(__file__).resolve().parent.parent

# The review queue's defaults (console/review): one conversation in twenty sampled, and
# messages read with less than this intent confidence listed.
DEFAULT_REVIEW_SAMPLE_RATE = 0.05
DEFAULT_REVIEW_MIN_CONFIDENCE = 0.5
# Reminders: patients' clocks are UK time unless set, and nothing is sent overnight.
DEFAULT_TIME_ZONE = "Europe/London"
DEFAULT_QUIET_HOURS = "21:00-08:00"
# Values that mean "somebody copied the example file and did not fill it in".
PLACEHOLDERS = frozenset({"", "changeme", "change-me", "secret", "xxx", "todo", "placeholder"})


class SettingsError(RuntimeError):
    """Raised when a required setting is missing or still a placeholder."""


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from error


def _env_fraction(name: str, default: float) -> float:
    """Read a number between 0 and 1 (a rate or a confidence)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError as error:
        raise SettingsError(f"{name} must be a number from 0 to 1, got {raw!r}") from error
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"{name} must be a number from 0 to 1, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Configuration of one running product; see the README for each variable."""

    var_dir: Path
    database_url: str
    emergency_number: str
    crisis_line: str
    crisis_line_name: str
    crisis_text: str
    urgent_advice_line: str
    alert_webhook_url: str
    alert_webhook_token: str
    delivery_interval_seconds: float
    alert_webhook_timeout_seconds: float
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from_number: str
    twilio_api_base: str
    public_url: str
    rasa_api_token: str
    # Where the console reaches the Rasa server's HTTP API (takeover); default: loopback.
    rasa_url: str
    rest_token: str
    rasa_port: int
    action_port: int
    # The production profile (README "Scaling out"): this many Rasa servers (each with an
    # action server beside it) on RASA_PORT, RASA_PORT+11... and ACTION_PORT, ACTION_PORT+1...,
    # sharing the database and a Redis lock store, behind HAProxy on the balancer port.
    rasa_servers: int
    lock_store_url: str
    balancer_port: int
    action_host: str
    health_port: int
    action_token: str
    max_message_chars: int
    max_inbound_chars: int
    max_request_bytes: int
    rate_limit_messages: int
    rate_limit_seconds: int
    # Events of recent conversations the Rasa server keeps in memory (0: none); see
    # bot.runtime.tracker_cache.
    tracker_cache_events: int
    session_secret: str
    console_port: int
    console_secret_key: str
    console_https: bool
    console_idle_minutes: int
    console_allowed_hosts: str
    console_require_totp: bool
    # Days a conversation is kept after its last event (python -m console purge).
    retention_days: int
    # The console's review queue: the share of conversations sampled at random (stable
    # per conversation), and the intent confidence under which a message is listed.
    review_sample_rate: float
    review_min_confidence: float
    # Tier -> acknowledgement deadline ("15 minutes"...): see bot.alerts.deadlines.
    ack_deadlines: dict[str, str]
    # Reminders (bot.reminders): the patients' default time zone (an IANA name), the
    # hours when no reminder is sent ("21:00-08:00" or "off"), how late a reminder may
    # still be sent, and the seconds between two rounds of the scheduler.
    time_zone: str
    reminder_quiet_hours: str
    reminder_window_minutes: int
    reminder_interval_seconds: float

    def require(self, name: str) -> str:
        """Return the named setting, failing fast if it is missing or a placeholder.

        Args:
            name: attribute name of the setting, e.g. ``"twilio_auth_token"``.

        Raises:
            SettingsError: the value is empty or a known placeholder.
        """
        if name not in {f.name for f in fields(self)}:
            raise SettingsError(f"unknown setting {name!r}")
        value = str(getattr(self, name))
        if value.strip().lower() in PLACEHOLDERS:
            raise SettingsError(
                f"{name.upper()} is required for this feature and is missing or a placeholder"
            )
        return value


# Each setting read as written: field -> (environment variable, default). A whole-number
# default makes the setting a whole number; a bad value is a SettingsError.
FROM_ENVIRONMENT: dict[str, tuple[str, str | int]] = {
    "emergency_number": ("BACKCARE_EMERGENCY_NUMBER", "999"),
    "crisis_line": ("BACKCARE_CRISIS_LINE", "116 123"),
    "crisis_line_name": ("BACKCARE_CRISIS_LINE_NAME", "Samaritans"),
    "crisis_text": ("BACKCARE_CRISIS_TEXT", "text SHOUT to 85258"),
    "urgent_advice_line": ("BACKCARE_URGENT_ADVICE_LINE", "111"),
    "alert_webhook_url": ("BACKCARE_ALERT_WEBHOOK_URL", ""),
    "alert_webhook_token": ("BACKCARE_ALERT_WEBHOOK_TOKEN", ""),
    "twilio_account_sid": ("TWILIO_ACCOUNT_SID", ""),
    "twilio_auth_token": ("TWILIO_AUTH_TOKEN", ""),
    "twilio_from_number": ("TWILIO_FROM_NUMBER", ""),
    "twilio_api_base": ("TWILIO_API_BASE", "https://api.twilio.com"),
    "public_url": ("BACKCARE_PUBLIC_URL", "http://localhost:5005"),
    "rasa_api_token": ("RASA_API_TOKEN", ""),
    "rest_token": ("BACKCARE_REST_TOKEN", ""),
    "rasa_port": ("RASA_PORT", 5005),
    "action_port": ("ACTION_PORT", 5055),
    "rasa_servers": ("BACKCARE_RASA_SERVERS", 1),
    # redis://[:password@]host:port/db; empty: Rasa's in-memory lock store (one server only).
    "lock_store_url": ("BACKCARE_LOCK_STORE_URL", ""),
    "balancer_port": ("BACKCARE_BALANCER_PORT", 5080),
    "action_host": ("BACKCARE_ACTION_HOST", "127.0.0.1"),
    "health_port": ("BACKCARE_HEALTH_PORT", 5006),
    "action_token": ("BACKCARE_ACTION_TOKEN", ""),
    "max_message_chars": ("BACKCARE_MAX_MESSAGE_CHARS", 2000),
    "max_inbound_chars": ("BACKCARE_MAX_INBOUND_CHARS", 10000),
    "max_request_bytes": ("BACKCARE_MAX_REQUEST_BYTES", 65536),
    "rate_limit_messages": ("BACKCARE_RATE_LIMIT_MESSAGES", 30),
    "rate_limit_seconds": ("BACKCARE_RATE_LIMIT_SECONDS", 60),
    "tracker_cache_events": ("BACKCARE_TRACKER_CACHE_EVENTS", 200_000),
    "console_port": ("BACKCARE_CONSOLE_PORT", 8000),
    # Empty: the console keeps a random key in var/console.key (see console/settings.py).
    "console_secret_key": ("BACKCARE_CONSOLE_SECRET_KEY", ""),
    "console_idle_minutes": ("BACKCARE_CONSOLE_IDLE_MINUTES", 15),
    "console_allowed_hosts": ("BACKCARE_CONSOLE_HOSTS", "127.0.0.1,localhost"),
    "retention_days": ("BACKCARE_RETENTION_DAYS", 2920),
}


def _read(name: str, default: str | int) -> str | int:
    return _env_int(name, default) if isinstance(default, int) else _env(name, default)


def load_settings() -> Settings:
    """Read the settings from the environment (uncached)."""
    var_dir = Path(_env("BACKCARE_VAR_DIR", str(REPO_ROOT / "var")))
    plain = {field: _read(name, default) for field, (name, default) in FROM_ENVIRONMENT.items()}
    return Settings(
        var_dir=var_dir,
        database_url=_env("BACKCARE_DATABASE_URL", f"sqlite:///{var_dir / 'backcare.db'}"),
        delivery_interval_seconds=float(_env_int("BACKCARE_DELIVERY_INTERVAL", 5)),
        alert_webhook_timeout_seconds=float(_env_int("BACKCARE_ALERT_WEBHOOK_TIMEOUT", 10)),
        session_secret=_env("BACKCARE_SESSION_SECRET", "") or local_secret(var_dir, "session.key"),
        console_https=_env_bool("BACKCARE_CONSOLE_HTTPS", False),
        console_require_totp=_env_bool("BACKCARE_CONSOLE_REQUIRE_TOTP", False),
        review_sample_rate=_env_fraction("BACKCARE_REVIEW_SAMPLE_RATE", DEFAULT_REVIEW_SAMPLE_RATE),
        review_min_confidence=_env_fraction(
            "BACKCARE_REVIEW_MIN_CONFIDENCE", DEFAULT_REVIEW_MIN_CONFIDENCE
        ),
        ack_deadlines=_ack_deadlines(),
        rasa_url=_env("BACKCARE_RASA_URL", "").rstrip("/")
        or f"http://127.0.0.1:{plain['rasa_port']}",
        time_zone=_time_zone("BACKCARE_TIME_ZONE", DEFAULT_TIME_ZONE),
        reminder_quiet_hours=_quiet_hours("BACKCARE_REMINDER_QUIET_HOURS", DEFAULT_QUIET_HOURS),
        reminder_window_minutes=_env_positive("BACKCARE_REMINDER_WINDOW_MINUTES", 60),
        reminder_interval_seconds=float(_env_positive("BACKCARE_REMINDER_INTERVAL", 30)),
        **plain,  # type: ignore[arg-type]
    )


def _env_positive(name: str, default: int) -> int:
    value = _env_int(name, default)
    if value < 1:
        raise SettingsError(f"{name} must be 1 or more, got {value}")
    return value


def _time_zone(name: str, default: str) -> str:
    value = _env(name, default) or default
    try:
        zone_of(value)
    except ValueError as error:
        raise SettingsError(f"{name} must be a time zone such as Europe/London: {error}") from error
    return value


def _quiet_hours(name: str, default: str) -> str:
    try:
        return QuietHours.parse(_env(name, default)).code
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from error


def _ack_deadlines() -> dict[str, str]:
    try:
        return rules_from_environment(os.environ)
    except ValueError as error:
        raise SettingsError(str(error)) from error


def local_secret(var_dir: Path, name: str) -> str:
    """Return a random secret kept in ``var_dir``, made on first use (never in git).

    Used when the matching variable is unset, so a single machine keeps working across
    restarts; several servers must be given the same value in the environment.
    """
    path = var_dir / name
    try:
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    except OSError:
        pass
    import secrets

    value = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return load_settings()
