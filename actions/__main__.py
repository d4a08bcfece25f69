"""Run the action server, on loopback and behind a token (``python -m actions``).

The launcher (:mod:`bot.runtime.launch`) starts it; Rasa's own ``python -m rasa_sdk`` would
listen on every interface and answer anyone, and an action server that answers anyone
can read a patient's plan or send the care team a made-up alert. This entry point:

- binds to ``BACKCARE_ACTION_HOST`` (127.0.0.1 unless set);
- answers ``/webhook`` only with ``?token=$BACKCARE_ACTION_TOKEN`` (how Rasa's action
  endpoint sends its ``token``, see ``endpoints.yml``) or ``Authorization: Bearer ...``;
  anything else gets 401. ``/health`` stays open for the supervisor;
- refuses to start without a token (the launcher makes a random one when it is unset).
"""

from __future__ import annotations

import hmac
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.runtime.log_privacy import install_log_privacy
from bot.settings import get_settings

logger = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})


def authorised(request: Request, token: str) -> bool:
    """Return whether the request carries the action server's token."""
    supplied = request.args.get("token") or ""
    header = request.headers.get("Authorization", "")
    if not supplied and header.startswith("Bearer "):
        supplied = header[len("Bearer ") :].strip()
    return bool(token) and hmac.compare_digest(supplied.encode(), token.encode())


def create_server(token: str) -> Sanic:
    """Return the action server app with every action of the ``actions`` package."""
    app: Sanic = create_app("actions", cors_origins=[])

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or authorised(request, token):
            return None
        logger.warning("action server: refused a request without the token")
        return response.json({"error": "unauthorised"}, status=401)

    return app


def main() -> None:
    """Start the action server with the configured host, port and token."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s actions %(message)s")
    install_log_privacy()
    settings = get_settings()
    token = settings.require("action_token")
    app = create_server(token)
    app.run(settings.action_host, settings.action_port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
