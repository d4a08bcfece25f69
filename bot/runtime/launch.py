"""Start the whole product: action server, workers, Rasa server and console.

``make run`` calls ``python -m bot.runtime.launch``; the end-to-end tests and the benchmark use
:func:`start_stack` with free loopback ports. The launcher:

- starts the reminder scheduler (``python -m bot.reminders.scheduler``) beside the
  delivery worker: it sends patients' reminders from the product's database, so a
  restart of it (or of anything else) loses none;
- starts the clinicians' console (``python -m console serve``, a Django app served by
  waitress on ``127.0.0.1:$BACKCARE_CONSOLE_PORT``) beside the bot when asked
  (``make run`` does; the end-to-end tests do not);
- supervises every part: one that stops is restarted with back-off (1 s doubling to
  60 s) and each restart is logged;
- serves ``GET http://127.0.0.1:$BACKCARE_HEALTH_PORT/health``: every part's state;
- gives the Rasa server and the action server one shared token
  (``BACKCARE_ACTION_TOKEN``, random when unset); the action server is on loopback;
- starts the REST channel only with ``BACKCARE_REST_TOKEN`` (``make run`` makes a local
  one in ``var/`` and prints how to use it).

The Rasa server's HTTP API (tracker reads and events, ``/model/parse``) is enabled only
when ``RASA_API_TOKEN`` is set, and then it requires that token; ``make run`` makes a
local one in ``var/`` when it is unset, so that the console can pause a conversation
for a clinician's takeover. Ctrl-C (SIGINT) or SIGTERM stops every process cleanly.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.settings import REPO_ROOT, Settings, get_settings, local_secret

READY_TIMEOUT_SECONDS = 180.0
# Rasa sends the action server every event of the session with each call, so a long
# session's request outgrows the limit the patient-facing server keeps (1 MiB by
# default); the action server listens on loopback only, behind its token.
ACTION_SERVER_MAX_REQUEST_BYTES = 64 * 1024 * 1024


def tracker_store_env(database_url: str) -> dict[str, str]:
    """Return the variables ``endpoints.yml`` reads for the SQL tracker store."""
    return {
        "BACKCARE_DATABASE_URL": database_url,
        "BACKCARE_TS_DIALECT": make_url(database_url).get_backend_name(),
    }


REST_CHANNEL_KEY = "bot.channels.rest.SafeRestInput"


def credentials_for(rest_enabled: bool, source: Path, var_dir: Path) -> Path:
    """Return the credentials file to start with, without the REST channel if disabled."""
    if rest_enabled:
        return source
    channels = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    channels.pop(REST_CHANNEL_KEY, None)
    target = var_dir / "credentials.no-rest.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(channels), encoding="utf-8")
    return target


def free_port() -> int:
    """Return a TCP port on loopback that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``url`` answers, failing early if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback URL)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


RESTART_BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 60.0)
# A part that has run this long since its last restart starts its back-off afresh.
STABLE_SECONDS = 60.0


@dataclass
class Part:
    """One supervised process of the product."""

    name: str
    command: list[str]
    log: Path
    health_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)  # over the stack's environment
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = 0.0
    next_restart_at: float | None = None

    @property
    def running(self) -> bool:
        """Return whether the process is alive."""
        return self.process is not None and self.process.poll() is None


def console_part(python: str, port: int, log_dir: Path) -> Part:
    """Return the supervised part that serves the clinicians' console on ``port``."""
    return Part(
        "console",
        [python, "-m", "console", "serve", "--port", str(port)],
        log_dir / "console.log",
        f"http://127.0.0.1:{port}/health/",
    )


@dataclass
class Stack:
    """The running processes of one product instance, and their supervisor."""

    rasa_port: int
    action_port: int
    parts: dict[str, Part] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _supervisor: threading.Thread | None = None

    @property
    def rasa_url(self) -> str:
        """Return the Rasa server's base URL."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def processes(self) -> list[subprocess.Popen[bytes]]:
        """Return the live process objects, in start order (actions, delivery, reminders, rasa)."""
        return [part.process for part in self.parts.values() if part.process is not None]

    def start_part(self, part: Part) -> None:
        """Start (or restart) one part."""
        part.process = _spawn(part.command, {**self.env, **part.env}, part.log)
        part.started_at = time.monotonic()
        part.next_restart_at = None
        self.parts[part.name] = part

    def supervise_once(self, now: float | None = None) -> list[str]:
        """Restart every part that has exited, with back-off; return the names restarted."""
        moment = time.monotonic() if now is None else now
        restarted = []
        for part in self.parts.values():
            if part.running or part.process is None or self._stopping.is_set():
                continue
            if part.next_restart_at is None:
                if moment - part.started_at >= STABLE_SECONDS:
                    part.restarts = 0
                delay = RESTART_BACKOFF_SECONDS[
                    min(part.restarts, len(RESTART_BACKOFF_SECONDS) - 1)
                ]
                part.next_restart_at = moment + delay
                _log(
                    f"{part.name} stopped (exit code {part.process.returncode}); "
                    f"restarting in {delay:.0f} s"
                )
            if moment >= part.next_restart_at:
                part.restarts += 1
                self.start_part(part)
                _log(f"{part.name} restarted (restart {part.restarts})")
                restarted.append(part.name)
        return restarted

    def start_supervisor(self, interval: float = 0.5) -> None:
        """Watch the parts in a background thread and restart any that stops."""

        def loop() -> None:
            while not self._stopping.wait(interval):
                self.supervise_once()

        self._supervisor = threading.Thread(target=loop, name="supervisor", daemon=True)
        self._supervisor.start()

    def health(self) -> dict[str, Any]:
        """Return every part's state; ``status`` is ``ok`` only when all are healthy."""
        parts = {}
        for part in self.parts.values():
            healthy = part.running and (part.health_url is None or _answers(part.health_url))
            parts[part.name] = {
                "running": part.running,
                "healthy": healthy,
                "pid": part.process.pid if part.process else None,
                "restarts": part.restarts,
            }
        ok = all(state["healthy"] for state in parts.values())
        return {"status": "ok" if ok else "degraded", "parts": parts}

    def stop(self, timeout: float = 20.0) -> None:
        """Stop supervising, then every process, politely first, then by force."""
        self._stopping.set()
        processes = self.processes
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout
        for process in processes:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.parts.clear()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback URL)
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} launcher: {line}", file=sys.stderr, flush=True)


def serve_health(stack: Stack, port: int) -> ThreadingHTTPServer:
    """Serve ``GET /health`` on 127.0.0.1:``port``: every part's state as JSON.

    200 when every part is running and answering, 503 otherwise.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.rstrip("/") != "/health":
                self.send_error(404)
                return
            report = stack.health()
            body = json.dumps(report).encode()
            self.send_response(200 if report["status"] == "ok" else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server


def product_env(settings: Settings, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment for the product's processes.

    The action server's token is made here when it is not set, so the Rasa server and
    the action server always share one.
    """
    env = dict(os.environ)
    env.update(overrides or {})
    database_url = env.get("BACKCARE_DATABASE_URL", settings.database_url)
    env["BACKCARE_DATABASE_URL"] = database_url
    env.update(tracker_store_env(database_url))
    if not env.get("BACKCARE_ACTION_TOKEN", "").strip():
        env["BACKCARE_ACTION_TOKEN"] = secrets.token_hex(24)
    # No request to the Rasa server may be larger than this (Sanic reads SANIC_*).
    env.setdefault("SANIC_REQUEST_MAX_SIZE", str(settings.max_request_bytes * 16))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def start_stack(
    model: Path,
    rasa_port: int,
    action_port: int,
    log_dir: Path,
    overrides: Mapping[str, str] | None = None,
    with_actions: bool = True,
    credentials: Path | None = None,
    supervise: bool = False,
    console_port: int | None = None,
) -> Stack:
    """Start the action server and the workers (optional) and the Rasa server; wait until ready.

    Args:
        model: trained model file or folder of models.
        rasa_port: port of the Rasa server on 127.0.0.1.
        action_port: port of the action server (on 127.0.0.1, behind a token).
        log_dir: folder for the processes' logs.
        overrides: extra environment variables (e.g. a test database URL).
        with_actions: start the action server, delivery worker and reminder scheduler
            (tests of the action-server-down case pass ``False``).
        credentials: channel credentials file, ``credentials.yml`` when ``None`` (the
            web and SMS channel tests pass a temporary file that enables those channels).
        supervise: restart any part that stops (``make run`` does; tests choose).
        console_port: also serve the clinicians' console on this port (``make run``).
    """
    settings = get_settings()
    env = product_env(settings, {**(overrides or {}), "ACTION_PORT": str(action_port)})
    log_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(rasa_port=rasa_port, action_port=action_port, env=env)
    python = sys.executable
    try:
        if with_actions:
            stack.start_part(
                Part(
                    "actions",
                    [python, "-m", "actions"],
                    log_dir / "actions.log",
                    f"http://127.0.0.1:{action_port}/health",
                    env={"SANIC_REQUEST_MAX_SIZE": str(ACTION_SERVER_MAX_REQUEST_BYTES)},
                )
            )
            stack.start_part(
                Part("delivery", [python, "-m", "bot.alerts.delivery"], log_dir / "delivery.log")
            )
            stack.start_part(
                Part(
                    "reminders",
                    [python, "-m", "bot.reminders.scheduler"],
                    log_dir / "reminders.log",
                )
            )
        rest_enabled = bool(env.get("BACKCARE_REST_TOKEN", "").strip())
        source = credentials or REPO_ROOT / "credentials.yml"
        credentials = credentials_for(rest_enabled, source, settings.var_dir)
        command = [
            python, "-m", "bot.runtime.server", "run",
            "--model", str(model),
            "--endpoints", "endpoints.yml",
            "--credentials", str(credentials),
            "--interface", "127.0.0.1",
            "--port", str(rasa_port),
        ]  # fmt: skip
        token = env.get("RASA_API_TOKEN", "").strip()
        if token:
            command += ["--enable-api", "--auth-token", token]
        stack.start_part(Part("rasa", command, log_dir / "rasa.log", f"{stack.rasa_url}/"))
        if console_port is not None:
            stack.start_part(console_part(python, console_port, log_dir))
        for part in stack.parts.values():
            if part.health_url and part.process is not None:
                wait_for_http(part.health_url, READY_TIMEOUT_SECONDS, part.process)
    except BaseException:
        stack.stop()
        raise
    if supervise:
        stack.start_supervisor()
    return stack


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(  # noqa: S603 (fixed commands, no shell)
        command, cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )


def main() -> int:
    """Start the product on the configured ports, supervise it, and wait for Ctrl-C."""
    settings = get_settings()
    model = REPO_ROOT / "models"
    chosen = os.environ.get("BACKCARE_CREDENTIALS", "").strip()
    credentials = (REPO_ROOT / chosen) if chosen else None
    rest_token = settings.rest_token or local_secret(settings.var_dir, "rest.token")
    # The console's takeover goes through Rasa's HTTP API, which needs a token.
    api_token = settings.rasa_api_token or local_secret(settings.var_dir, "rasa_api.token")
    stack = start_stack(
        model,
        settings.rasa_port,
        settings.action_port,
        settings.var_dir / "logs",
        overrides={"BACKCARE_REST_TOKEN": rest_token, "RASA_API_TOKEN": api_token},
        credentials=credentials,
        supervise=True,
        console_port=settings.console_port,
    )
    health = serve_health(stack, settings.health_port)
    print(f"BackCare is ready. Talk to it at {stack.rasa_url}")
    print(f"  Web chat: {stack.rasa_url}/webhooks/webchat/")
    body = '{"sender": "me", "message": "hello"}'
    print(
        f"  REST:  curl -s {stack.rasa_url}/webhooks/rest/webhook "
        f"-H 'Authorization: Bearer {rest_token}' -d '{body}'"
    )
    print(f"  Clinicians' console: http://127.0.0.1:{settings.console_port}/")
    print(f"  Health: http://127.0.0.1:{settings.health_port}/health")
    print(f"  Logs:  {settings.var_dir / 'logs'}   Stop: Ctrl-C")
    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        stopping.wait()
    finally:
        print("stopping...")
        health.shutdown()
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
