"""The attacks and faults of the security issue, each now with a safe outcome.

Real servers on loopback. Each test says what was possible before and checks what
happens now.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bot.runtime.launch import free_port, serve_health
from tests.conftest import (
    API_TOKEN,
    REST_TOKEN,
    conversation_of,
    own_stack,
    post_json,
    say_to,
    stored,
)

pytestmark = pytest.mark.e2e


def status_of(url, body=None, headers=None, method="POST"):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def rest_url(stack):
    return f"{stack.rasa_url}/webhooks/rest/webhook"


def test_rest_needs_the_token(stack):
    body = {"sender": "x", "message": "hello"}
    assert status_of(rest_url(stack), body)[0] == 401
    assert status_of(rest_url(stack), body, {"Authorization": "Bearer wrong"})[0] == 401
    assert status_of(rest_url(stack), body, {"Authorization": f"Bearer {REST_TOKEN}"})[0] == 200


def test_rest_cannot_reach_another_channels_conversation(stack, rest_say):
    # Before: a REST request naming an SMS patient's number read that patient's plan.
    phone = "+447700900" + str(uuid.uuid4().int)[:3]
    rest_say(phone, "show my pacing plan")
    with sqlite3.connect(stack.database_path) as connection:
        senders = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert phone not in senders
    assert conversation_of(phone) in senders


def test_a_huge_request_is_refused_and_a_long_message_is_cut(stack, rest_say, sender):
    headers = {"Authorization": f"Bearer {REST_TOKEN}"}
    huge = json.dumps({"sender": sender, "message": "x" * 200_000}).encode()
    assert status_of(rest_url(stack), huge, headers)[0] == 413
    replies = rest_say(sender, "my back hurts " * 1000)  # 14,000 characters
    assert replies and replies[-1]["response"] == "utter_message_cut"


def test_nul_bytes_are_removed_before_storage(stack, rest_say, sender):
    rest_say(sender, "my\x00back\x00hurts")
    with sqlite3.connect(stack.database_path) as connection:
        texts = [
            json.loads(row[0]).get("text")
            for row in connection.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                (conversation_of(sender),),
            )
        ]
    assert texts == ["mybackhurts"]


def test_the_static_folder_is_a_404_not_a_500(stack):
    assert status_of(f"{stack.rasa_url}/webhooks/webchat/static/", method="GET")[0] == 404
    assert status_of(f"{stack.rasa_url}/webhooks/webchat/static/../../bot/settings.py", method="GET")[0] == 404
    assert status_of(f"{stack.rasa_url}/webhooks/webchat/static/widget.js", method="GET")[0] == 200


def test_the_http_api_still_works_with_its_token(stack, rest_say, sender):
    rest_say(sender, "hello")
    url = f"{stack.rasa_url}/conversations/{conversation_of(sender)}/tracker?token={API_TOKEN}"
    assert status_of(url, method="GET")[0] == 200
    parsed = post_json(f"{stack.rasa_url}/model/parse?token={API_TOKEN}", {"text": "hello"})
    assert parsed["intent"]["name"] == "greet"


def test_the_action_server_is_on_loopback_and_needs_the_token(stack):
    # Before: a POST to /webhook on 0.0.0.0 read a plan or sent a made-up alert.
    url = f"http://127.0.0.1:{stack.action_port}/webhook"
    forged = {
        "next_action": "action_show_pacing_plan",
        "sender_id": "+447700900123",
        "tracker": {"sender_id": "+447700900123", "slots": {}, "events": [], "latest_message": {}},
        "domain": {},
        "version": "3.6.0",
    }
    assert status_of(url, forged)[0] == 401
    assert status_of(url + "?token=wrong", forged)[0] == 401
    assert status_of(f"http://127.0.0.1:{stack.action_port}/health", method="GET")[0] == 200
    with open(f"/proc/{stack.parts['actions'].process.pid}/net/tcp") as table:
        listening = [line.split()[1] for line in table.readlines()[1:] if line.split()[3] == "0A"]
    port_hex = f"{stack.action_port:04X}"
    assert f"0100007F:{port_hex}" in listening
    assert f"00000000:{port_hex}" not in listening


def test_phone_numbers_never_reach_the_logs(stack):
    # Rasa logs sender ids in its own lines; SMS sender ids are phone numbers.
    for part in ("rasa", "actions", "delivery", "reminders"):
        log = (stack.log_dir / f"{part}.log").read_text(encoding="utf-8", errors="replace")
        assert "+447700900" not in log


def test_dead_parts_are_restarted_and_the_health_endpoint_says_so(e2e_dir):
    with own_stack(e2e_dir, "supervised", supervise=True) as stack:
        health_port = free_port()
        health = serve_health(stack, health_port)
        try:
            for name in ("actions", "delivery", "reminders"):
                os.kill(stack.parts[name].process.pid, signal.SIGKILL)
            status, _ = status_of(f"http://127.0.0.1:{health_port}/health", method="GET")
            assert status == 503
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                status, body = status_of(f"http://127.0.0.1:{health_port}/health", method="GET")
                if status == 200:
                    break
                time.sleep(1)
            report = json.loads(body)
            assert status == 200, report
            assert report["parts"]["actions"]["restarts"] == 1
            assert report["parts"]["delivery"]["restarts"] == 1
            assert report["parts"]["reminders"]["restarts"] == 1
            # The restarted action server answers the conversation again.
            replies = say_to(stack)("after-restart", "what is pacing?")
            assert replies[0]["content_id"] == "pacing"
        finally:
            health.shutdown()


def test_a_flood_from_one_conversation_is_slowed_down_but_a_red_flag_still_gets_through(
    stack, rest_say, sender
):
    replies = [rest_say(sender, f"hello {n}") for n in range(32)]
    assert replies[-1][0]["response"] == "utter_slow_down"
    flagged = rest_say(sender, "I can't feel my bum and I've wet myself")
    assert flagged[0]["response"] == "utter_urgent_care_emergency"
    assert stored(stack.database_path, "care_team_outbox", "COUNT(*)", sender) == [(1,)]
    # Other conversations are not slowed down.
    assert rest_say(sender + "-other", "hello")[0]["response"] == "utter_greet"


def test_odd_socket_io_events_never_raise(channels_stack):
    import socketio

    client = socketio.Client(reconnection=False)
    confirmed = []
    received = []
    client.on("session_confirm", lambda session_id: confirmed.append(session_id))
    client.on("bot_uttered", lambda message: received.append(message))
    client.connect(channels_stack.rasa_url, socketio_path="/socket.io")
    try:
        client.emit("user_uttered")  # no data
        client.emit("user_uttered", "just a string")
        client.emit("user_uttered", {"message": "hi"})  # no session id
        client.emit("user_uttered", {"message": 5, "session_id": "x"})
        client.emit("session_request")  # no data
        deadline = time.monotonic() + 60
        while (not confirmed or len(received) < 2) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert confirmed  # the last request got a conversation, and its greeting
        assert received
        # A message for a conversation this socket does not own is ignored.
        before = len(received)
        client.emit("user_uttered", {"message": "hello", "session_id": "0" * 32 + "." + "0" * 24})
        time.sleep(2)
        assert len(received) == before
    finally:
        client.disconnect()
    log = (channels_stack.log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert "TypeError" not in log
