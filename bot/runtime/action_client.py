"""Keep the Rasa server's connections to the action server open between actions.

Rasa's :class:`~rasa.utils.endpoints.EndpointConfig` opens a new HTTP client session,
and so a new TCP connection, for every custom action it runs, and closes it after;
profiling showed that setting up taking a tenth of a remote action's time on the Rasa
side. :func:`keep_connections_open` gives one endpoint a session that stays open, with
the same headers, authentication and timeout as Rasa's. An idle connection is dropped
after :data:`KEEPALIVE_SECONDS`, well before the action server (Sanic, 5 s by default)
closes its side, so a request is never sent on a connection the server is closing::

    keep_connections_open(processor.action_endpoint)
"""

from __future__ import annotations

import asyncio
from types import TracebackType

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

KEEPALIVE_SECONDS = 2.0


class KeptSession:
    """An async context that yields one open client session per event loop, never closing it."""

    def __init__(self, endpoint: EndpointConfig) -> None:
        self.endpoint = endpoint
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def session(self) -> aiohttp.ClientSession:
        """Return the open session of the running event loop, made on first use."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            auth = None
            if self.endpoint.basic_auth:
                auth = aiohttp.BasicAuth(
                    self.endpoint.basic_auth["username"], self.endpoint.basic_auth["password"]
                )
            self._session = aiohttp.ClientSession(
                headers=self.endpoint.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
            self._loop = loop
        return self._session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None  # the session stays open for the next action

    async def close(self) -> None:
        """Close the session (at shutdown)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()


def keep_connections_open(endpoint: EndpointConfig) -> KeptSession:
    """Make ``endpoint`` reuse one open client session for its requests; return it."""
    kept = KeptSession(endpoint)
    endpoint.session = lambda: kept  # type: ignore[assignment,method-assign,return-value]
    return kept
