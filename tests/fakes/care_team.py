"""A real HTTP server on loopback standing in for the care team's webhook.

It records each POST's ``Authorization`` header, JSON body and ``Idempotency-Key``;
``status`` sets the answer (503 for an outage), and a body whose message is ``"slow"``
is answered after ``slow_seconds``::

    webhook = CareTeamWebhook()
    ...  # deliver to webhook.url
    webhook.received  # [(authorization, body), ...]
    webhook.close()
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class CareTeamWebhook:
    """A real HTTP server on loopback standing in for the care team's system."""

    def __init__(self) -> None:
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self.keys: list[str | None] = []
        self.status = 200
        self.slow_seconds = 3.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if body.get("message") == "slow":
                    time.sleep(outer.slow_seconds)
                outer.received.append((self.headers.get("Authorization"), body))
                outer.keys.append(self.headers.get("Idempotency-Key"))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
