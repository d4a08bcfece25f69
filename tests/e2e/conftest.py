"""Fixtures for the patient channels' end-to-end tests (web widget and SMS).

``channels_stack`` starts the real servers once per session with a temporary
credentials file that enables ``bot.channels.web.channel.WebChatInput`` (in place of the plain
``socketio`` entry) and ``bot.channels.sms.channel.TwilioSmsInput``, a fresh SQLite database,
and Twilio settings pointing at ``fake_twilio``, a fake Twilio REST API on loopback;
Rasa's HTTP API is on, with ``tests.conftest.API_TOKEN``. Its reminder scheduler runs a
round every second, with no quiet hours.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.runtime.launch import Stack, free_port, start_stack
from bot.settings import REPO_ROOT
from tests.conftest import API_TOKEN
from tests.fakes.twilio_api import FakeTwilio

MODEL = REPO_ROOT / "models" / "backcare.tar.gz"
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "e2e-auth-token-5678"
TWILIO_FROM = "+15005550006"
PUBLIC_URL = "https://backcare.example.org"


def channels_credentials(target: Path) -> Path:
    """Write credentials.yml with the web chat and SMS channels enabled."""
    source = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    source.pop("socketio", None)  # it would claim the same socket.io path
    source["bot.channels.web.channel.WebChatInput"] = {"session_persistence": True}
    source["bot.channels.sms.channel.TwilioSmsInput"] = {}
    target.write_text(yaml.safe_dump(source), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio(TWILIO_SID, TWILIO_TOKEN) as api:
        yield api


@pytest.fixture(scope="session")
def channels_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_twilio: FakeTwilio
) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make e2e does)")
    folder = tmp_path_factory.mktemp("channels")
    db = folder / "t.db"
    running = start_stack(
        MODEL,
        free_port(),
        free_port(),
        folder / "logs",
        {
            "BACKCARE_DATABASE_URL": f"sqlite:///{db}",
            "BACKCARE_EMERGENCY_NUMBER": "999",
            "BACKCARE_PUBLIC_URL": PUBLIC_URL,
            "TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TWILIO_FROM_NUMBER": TWILIO_FROM,
            "TWILIO_API_BASE": fake_twilio.base_url,
            # The console's takeover (tests/e2e/test_takeover.py) uses the HTTP API.
            "RASA_API_TOKEN": API_TOKEN,
            # Reminders: a round every second, and at any hour the tests run.
            "BACKCARE_REMINDER_INTERVAL": "1",
            "BACKCARE_REMINDER_QUIET_HOURS": "off",
        },
        credentials=channels_credentials(folder / "credentials.yml"),
    )
    running.database_path = db  # type: ignore[attr-defined]
    running.log_dir = folder / "logs"  # type: ignore[attr-defined]
    yield running
    running.stop()
