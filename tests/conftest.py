"""Shared fixtures: real servers for end-to-end tests.

``stack`` starts the real action server, delivery worker and Rasa server on free
loopback ports with a fresh SQLite database, once per test session; tests talk to it
through the REST channel with ``rest_say``. A test that kills or starves parts of the
stack starts its own with ``own_stack``; ``stored`` reads what the servers wrote.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.launch import Stack, free_port, start_stack
from bot.settings import REPO_ROOT

MODEL = REPO_ROOT / "models" / "backcare.tar.gz"
API_TOKEN = "e2e-" + uuid.uuid4().hex
REST_TOKEN = "rest-" + uuid.uuid4().hex


def _require_model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make e2e does)")
    return MODEL


@pytest.fixture(scope="session")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def stack(e2e_dir: Path) -> Iterator[Stack]:
    db = e2e_dir / "backcare.db"
    running = start_stack(
        _require_model(),
        free_port(),
        free_port(),
        e2e_dir / "logs",
        {
            "BACKCARE_DATABASE_URL": f"sqlite:///{db}",
            "BACKCARE_EMERGENCY_NUMBER": "999",
            "RASA_API_TOKEN": API_TOKEN,
            "BACKCARE_REST_TOKEN": REST_TOKEN,
        },
    )
    running.database_path = db  # type: ignore[attr-defined]
    running.log_dir = e2e_dir / "logs"  # type: ignore[attr-defined]
    yield running
    running.stop()


@contextlib.contextmanager
def own_stack(e2e_dir: Path, name: str, **options: Any) -> Iterator[Stack]:
    """Start a stack of the test's own (database ``<name>.db``); stop it afterwards.

    ``options`` go to :func:`bot.runtime.launch.start_stack` (``with_actions``,
    ``supervise``...).
    """
    db = e2e_dir / f"{name}.db"
    running = start_stack(
        _require_model(),
        free_port(),
        free_port(),
        e2e_dir / f"logs-{name}",
        {"BACKCARE_DATABASE_URL": f"sqlite:///{db}", "BACKCARE_REST_TOKEN": REST_TOKEN},
        **options,
    )
    running.database_path = db  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        running.stop()


# The column that holds the conversation id, per table the tests read.
CONVERSATION_COLUMNS = {"events": "sender_id", "care_team_outbox": "conversation_id"}


def stored(db_path: Path, table: str, columns: str, sender: str) -> list[tuple[Any, ...]]:
    """Return ``columns`` of a REST sender's rows in ``table``, in the order written."""
    key = CONVERSATION_COLUMNS[table]
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            f"SELECT {columns} FROM {table} WHERE {key} = ? ORDER BY id",
            (conversation_of(sender),),
        ).fetchall()


def post_json(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def say_to(stack: Stack, token: str = REST_TOKEN) -> Callable[[str, str], list[dict[str, Any]]]:
    def say(sender: str, text: str) -> list[dict[str, Any]]:
        return post_json(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            {"sender": sender, "message": text},
            {"Authorization": f"Bearer {token}"},
        )

    return say


def conversation_of(sender: str) -> str:
    """Return the conversation id the REST channel keeps a sender's messages under."""
    return "rest:" + sender


def responses(messages: list[dict[str, Any]]) -> list[str]:
    """Return the domain response names of a REST reply's messages."""
    return [m.get("response") or m.get("content_id") or "" for m in messages]


@pytest.fixture
def rest_say(stack: Stack) -> Callable[[str, str], list[dict[str, Any]]]:
    return say_to(stack)


POSTGRES_URL = os.environ.get(
    "BACKCARE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def postgres_url() -> str:
    """Return the URL of the machine's PostgreSQL test database, or skip saying why."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    try:
        engine = sqlalchemy.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # depends on the machine
        pytest.skip(f"needs PostgreSQL at {POSTGRES_URL} ({type(error).__name__})")
    return POSTGRES_URL


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests under tests/e2e start real servers: mark them so `make unit` skips them.
    for item in items:
        if "/tests/e2e/" in str(item.fspath).replace(os.sep, "/") and not any(
            m.name in {"e2e", "browser"} for m in item.iter_markers()
        ):
            item.add_marker(pytest.mark.e2e)
