"""A fake Twilio REST API on loopback that records the texts it is asked to send.

Only ``POST /2010-04-01/Accounts/{sid}/Messages.json`` is served, with HTTP basic auth
checked against the given account SID and token. Set ``fail_with`` to make it answer
an error (as Twilio does for a bad number or an outage)::

    with FakeTwilio("AC123", "token") as api:
        ...  # point TWILIO_API_BASE at api.base_url
        api.wait_for(1)
        api.sent  # [{"To": ..., "From": ..., "Body": ...}]
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sent: list[dict[str, str]] = []
        self.requests = 0
        self.fail_with: int | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeTwilio:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bodies_to(self, number: str) -> list[str]:
        with self._lock:
            return [m["Body"] for m in self.sent if m.get("To") == number]

    def wait_for(self, count: int, timeout: float = 30.0, number: str | None = None) -> list[str]:
        """Wait until ``count`` texts were sent (to ``number`` if given); return bodies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                bodies = [m["Body"] for m in self.sent if number is None or m.get("To") == number]
            if len(bodies) >= count:
                return bodies
            time.sleep(0.05)
        raise AssertionError(f"expected {count} texts, got {bodies!r}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                with fake._lock:
                    fake.requests += 1
                expected = f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
                if self.path != expected:
                    self._reply(404, {"code": 20404, "message": "not found", "status": 404})
                    return
                token = base64.b64encode(
                    f"{fake.account_sid}:{fake.auth_token}".encode()
                ).decode()
                if self.headers.get("Authorization") != f"Basic {token}":
                    self._reply(401, {"code": 20003, "message": "auth", "status": 401})
                    return
                if fake.fail_with is not None:
                    form = parse_qs(raw)
                    message = f"The 'To' number {form.get('To', ['?'])[0]} is not valid"
                    self._reply(
                        fake.fail_with,
                        {"code": 21211, "message": message, "status": fake.fail_with},
                    )
                    return
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                with fake._lock:
                    fake.sent.append(form)
                self._reply(
                    201,
                    {
                        "sid": "SM" + uuid.uuid4().hex,
                        "account_sid": fake.account_sid,
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "body": form.get("Body"),
                        "status": "queued",
                    },
                )

        return Handler
