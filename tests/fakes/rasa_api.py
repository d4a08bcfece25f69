"""A fake of the Rasa server's conversation events endpoint, on loopback.

Serves ``POST /conversations/<id>/tracker/events`` as Rasa does for the console's
takeover: the ``token`` query parameter is checked (401 otherwise) and each request is
recorded. Set ``fail_with`` to ``(status, message)`` to answer an error as Rasa does
(e.g. ``(500, "An unexpected error occurred. Error: care-team message not delivered:
chat_closed")``), or ``delay`` to answer late::

    with FakeRasa("token") as rasa:
        RasaApi(rasa.base_url, "token").append("+447700900123", [pause_event("kim")])
        rasa.received  # [Received(sender_id="+447700900123", query={...}, events=[...])]
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PREFIX, SUFFIX = "/conversations/", "/tracker/events"


@dataclass(frozen=True)
class Received:
    sender_id: str
    query: dict[str, str]
    events: list[dict[str, Any]]


class FakeRasa:
    def __init__(self, token: str) -> None:
        self.token = token
        self.received: list[Received] = []
        self.fail_with: tuple[int, str] | None = None
        self.delay = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeRasa:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The client may have given up waiting (a timeout test).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if fake.delay:
                    time.sleep(fake.delay)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if not (parts.path.startswith(PREFIX) and parts.path.endswith(SUFFIX)):
                    self._reply(404, {"status": "failure", "code": 404})
                    return
                if query.get("token") != fake.token:
                    self._reply(401, {"status": "failure", "reason": "NotAuthenticated"})
                    return
                if fake.fail_with is not None:
                    status, message = fake.fail_with
                    self._reply(status, {"status": "failure", "message": message, "code": status})
                    return
                sender_id = parts.path[len(PREFIX) : -len(SUFFIX)]
                with fake._lock:
                    fake.received.append(Received(sender_id, query, json.loads(body)))
                self._reply(200, {"sender_id": sender_id})

        return Handler
