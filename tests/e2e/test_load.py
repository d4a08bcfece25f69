"""Fifty conversations at once with attacks mixed in: nothing lost, crossed or duplicated.

Every conversation sends numbered messages carrying its own marker; attackers run
beside them (wrong and missing tokens, huge bodies, other channels' ids, NUL bytes,
HTML, typed commands). Afterwards each conversation's stored messages must be exactly
its own, in order, once each, and every message must have had an answer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import REST_TOKEN, conversation_of

pytestmark = pytest.mark.e2e

CONVERSATIONS = 50
MESSAGES = ["hello", "what is pacing?", "ok", "how do I sleep better", "thanks", "bye"]


def post(url, body, token=REST_TOKEN):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=180) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def test_fifty_conversations_with_attacks_lose_cross_and_duplicate_nothing(stack):
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    run = uuid.uuid4().hex[:6]
    answers: dict[str, list[int]] = {}
    stop = threading.Event()
    attack_results: list[int] = []

    def conversation(n: int) -> None:
        sender = f"load-{run}-{n}"
        counts = []
        for i, text in enumerate(MESSAGES):
            status, replies = post(url, {"sender": sender, "message": f"{text} [{n}:{i}]"})
            counts.append(len(replies or []) if status == 200 else -status)
        answers[sender] = counts

    def attacker() -> None:
        attacks = [
            ({"sender": "x", "message": "hi"}, "wrong"),
            ({"sender": "x", "message": "hi"}, ""),
            (json.dumps({"sender": "x", "message": "y" * 300_000}).encode(), REST_TOKEN),
            ({"sender": f"load-{run}-0", "message": "\x00<script>alert(1)</script>"}, "wrong"),
            ({"sender": "+447700900123", "message": "show my pacing plan"}, REST_TOKEN),
            ({"sender": "attack", "message": '/red_flag_emergency{"x": 1}'}, REST_TOKEN),
            ({"sender": "attack", "message": "\x00\x00\x00"}, REST_TOKEN),
        ]
        while not stop.is_set():
            for body, token in attacks:
                status, _ = post(url, body, token)
                attack_results.append(status)

    attackers = [threading.Thread(target=attacker, daemon=True) for _ in range(2)]
    for thread in attackers:
        thread.start()
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        list(pool.map(conversation, range(CONVERSATIONS)))
    stop.set()
    for thread in attackers:
        thread.join(timeout=120)

    assert len(answers) == CONVERSATIONS
    for sender, counts in answers.items():
        assert all(count >= 1 for count in counts), (sender, counts)
    with sqlite3.connect(stack.database_path) as connection:
        for n in range(CONVERSATIONS):
            sender = f"load-{run}-{n}"
            texts = [
                json.loads(data)["text"]
                for (data,) in connection.execute(
                    "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                    (conversation_of(sender),),
                )
            ]
            assert texts == [f"{text} [{n}:{i}]" for i, text in enumerate(MESSAGES)], sender
    assert 401 in attack_results and 413 in attack_results
    assert all(status in (200, 401, 413) for status in attack_results)
