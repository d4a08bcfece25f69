"""Two Rasa servers over one PostgreSQL tracker store and a Redis lock store.

The production profile (README "Scaling out") in small: two Rasa servers, each with its
action server, one delivery worker, Redis (Rasa's ``RedisLockStore``) and a fresh
PostgreSQL database, and HAProxy in front when the machine has it. Several conversations
run at once; each sends its messages alternately to one server and the other, then two
messages at the same moment, one to each. Afterwards every conversation's stored events
must hold each message once, in the order sent, each turn whole (the lock store kept the
two servers from interleaving a conversation's turns), and every red flag must have had
its urgent-care reply and exactly one care-team alert.

Redis is started from ``redis-server`` on a free port when the machine has the binary,
else the one at ``127.0.0.1:6379`` is used; the test skips, saying which, when there is
no Redis or no PostgreSQL (``BACKCARE_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.runtime.launch import Stack, free_port, start_stack
from tests.conftest import MODEL, POSTGRES_URL, REST_TOKEN, conversation_of, responses

pytestmark = pytest.mark.e2e

CONVERSATIONS = 8
EMERGENCY = "utter_urgent_care_emergency"
URGENT = "utter_urgent_care_same_day"
# (text, the first response its turn must give, or None for any answer)
TURNS = [
    ("hello", None),
    ("what is pacing?", None),
    ("since yesterday I cant feel my bum and I wet myself", EMERGENCY),
    ("ok", None),
    ("how do I sleep better", None),
    ("Dad's 79, he's had a temperature and chills since lunchtime", URGENT),
]
AT_ONCE = ["thanks", "bye"]


def _answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if not _answers("127.0.0.1", 6379):
            pytest.skip("needs Redis: no redis-server binary and nothing at 127.0.0.1:6379")
        yield "redis://127.0.0.1:6379/1"
        return
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not _answers("127.0.0.1", port):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.skip("redis-server did not start")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/1"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    """Create a fresh PostgreSQL database for the test and drop it afterwards."""
    try:
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect():
            pass
    except Exception as error:  # depends on the machine
        pytest.skip(f"needs PostgreSQL at {POSTGRES_URL} ({type(error).__name__})")
    name = "backcare_scale_" + uuid.uuid4().hex[:10]
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def scaled(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str, postgres_database: str
) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make e2e does)")
    folder = tmp_path_factory.mktemp("scaled")
    running = start_stack(
        MODEL,
        free_port(),
        free_port(),
        folder / "logs",
        {
            "BACKCARE_DATABASE_URL": postgres_database,
            "BACKCARE_LOCK_STORE_URL": redis_url,
            "BACKCARE_REST_TOKEN": REST_TOKEN,
        },
        servers=[(free_port(), free_port())],
        balancer_port=free_port() if shutil.which("haproxy") else None,
    )
    yield running
    running.stop()


def post(url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {REST_TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response)


def say(base_url: str, sender: str, text: str) -> list[dict[str, Any]]:
    return post(f"{base_url}/webhooks/rest/webhook", {"sender": sender, "message": text})


def rows(database_url: str, sql: str, sender: str) -> list[Any]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(sql), {"c": conversation_of(sender)}))
    finally:
        engine.dispose()


def test_two_servers_keep_every_conversation_whole_and_alert_each_red_flag_once(
    scaled: Stack, postgres_database: str
):
    assert len(scaled.rasa_urls) == 2
    run = uuid.uuid4().hex[:6]
    sent: dict[str, list[str]] = {}
    replies: dict[str, list[list[str]]] = {}

    def conversation(n: int) -> None:
        sender = f"scale-{run}-{n}"
        sent[sender], replies[sender] = [], []
        for i, (text, _) in enumerate(TURNS):
            message = f"{text} [{n}:{i}]"
            sent[sender].append(message)
            # Alternate servers, starting on a different one for odd conversations.
            url = scaled.rasa_urls[(n + i) % 2]
            replies[sender].append(responses(say(url, sender, message)))
        together = [f"{text} [{n}:{len(TURNS) + k}]" for k, text in enumerate(AT_ONCE)]
        with ThreadPoolExecutor(max_workers=2) as pair:
            answered = list(pair.map(say, scaled.rasa_urls, [sender] * 2, together))
        sent[sender] += together
        replies[sender] += [responses(messages) for messages in answered]

    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        list(pool.map(conversation, range(CONVERSATIONS)))

    for sender, answered in replies.items():
        assert all(answered), (sender, answered)  # every message had an answer
        for (_, first), names in zip(TURNS, answered, strict=False):
            if first is not None:
                assert names[0] == first, (sender, names)
        events = rows(
            postgres_database,
            "SELECT type_name, action_name, data FROM events WHERE sender_id = :c ORDER BY id",
            sender,
        )
        texts = [json.loads(data)["text"] for kind, _, data in events if kind == "user"]
        ordered = len(TURNS)
        assert texts[:ordered] == sent[sender][:ordered], sender  # none lost or reordered
        assert sorted(texts[ordered:]) == sorted(sent[sender][ordered:]), sender  # once each
        assert len({data for _, _, data in events}) == len(events), sender  # no duplicate rows
        # Each turn is whole: every message comes after the previous turn's closing listen.
        for index, (kind, _, _) in enumerate(events):
            if kind == "user":
                assert events[index - 1][:2] == ("action", "action_listen"), (sender, index)
        alerts = rows(
            postgres_database,
            "SELECT tier FROM care_team_outbox WHERE conversation_id = :c ORDER BY id",
            sender,
        )
        assert [tier for (tier,) in alerts] == ["emergency", "urgent"], sender


def test_the_balancer_keeps_a_socketio_session_on_its_server_and_shares_webhooks(
    scaled: Stack, tmp_path: Path
):
    if scaled.balancer_port is None:
        pytest.skip("needs HAProxy (make balancer-deps installs Debian's package)")
    base = scaled.public_url
    sender = f"balanced-{uuid.uuid4().hex[:6]}"
    assert say(base, sender, "hello") and say(base, sender, "what is pacing?")
    for _ in range(4):
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        with opener.open(f"{base}/socket.io/?EIO=4&transport=polling", timeout=30) as response:
            handshake = response.read().decode()
        assert any(cookie.name == "BACKCARE_SERVER" for cookie in cookies)
        sid = json.loads(handshake[handshake.index("{") :])["sid"]
        # A session's next poll must reach the server that made it (the other says 400).
        for _ in range(2):
            request = urllib.request.Request(
                f"{base}/socket.io/?EIO=4&transport=polling&sid={sid}",
                data=b"40",
                headers={"Content-Type": "text/plain;charset=UTF-8"},
            )
            with opener.open(request, timeout=30) as response:
                assert response.status == 200
