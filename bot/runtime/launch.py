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

The production profile (``BACKCARE_RASA_SERVERS=2`` or more, with
``BACKCARE_LOCK_STORE_URL=redis://...`` and a PostgreSQL ``BACKCARE_DATABASE_URL``) starts
that many Rasa servers, each with an action server beside it, on consecutive ports; they
share the tracker store and Rasa's Redis lock store (which serialises the messages of one
conversation across servers), and HAProxy balances them on ``BACKCARE_BALANCER_PORT``:
sticky for ``/socket.io/``, round robin for the rest (:func:`haproxy_config`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
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


def lock_store_endpoint(url: str) -> dict[str, Any]:
    """Return the ``lock_store`` section of the endpoints for a Redis URL.

    ``redis://[user:password@]host[:port][/db]`` (``rediss://`` for TLS) becomes Rasa's
    ``RedisLockStore`` settings; the database is Rasa's default (1) when the URL names
    none. A password is not written to the file: the section reads it from
    ``BACKCARE_LOCK_STORE_PASSWORD``, which :func:`product_env` sets from the URL.
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise ValueError("BACKCARE_LOCK_STORE_URL must look like redis://host:6379/1")
    db = parsed.path.strip("/")
    section: dict[str, Any] = {
        "type": "redis",
        "url": parsed.hostname,
        "port": parsed.port or 6379,
        "db": int(db) if db else 1,
        "key_prefix": "backcare",
    }
    if parsed.username:
        section["username"] = urllib.parse.unquote(parsed.username)
    if parsed.password:
        section["password"] = "${BACKCARE_LOCK_STORE_PASSWORD}"  # noqa: S105 (a reference)
    if parsed.scheme == "rediss":
        section["use_ssl"] = True
    return section


def endpoints_for(lock_store_url: str, source: Path, target_dir: Path) -> Path:
    """Return the endpoints file to start with: ``source``, plus a Redis lock store if set.

    Without a lock store URL Rasa keeps its in-memory lock store, which is only right for
    one server.
    """
    if not lock_store_url:
        return source
    endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints["lock_store"] = lock_store_endpoint(lock_store_url)
    target = target_dir / "endpoints.scaled.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return target


def haproxy_config(rasa_ports: Sequence[int], port: int) -> str:
    """Return HAProxy's configuration for the Rasa servers on ``rasa_ports``.

    socket.io's long-polling requests of one session must reach the server that holds
    it: ``/socket.io/`` is sticky, by a cookie HAProxy adds (browsers) and by the
    client's address before it has one. Everything else (the REST and Twilio webhooks,
    the HTTP API) is stateless per request, since the servers share the tracker store
    and the lock store, and goes round robin.
    """
    servers = [
        f"    server rasa{i} 127.0.0.1:{rasa_port} check inter 2s"
        for i, rasa_port in enumerate(rasa_ports, start=1)
    ]
    plain = "\n".join(servers)
    sticky = "\n".join(f"{line} cookie rasa{i}" for i, line in enumerate(servers, start=1))
    return f"""# Written by bot.runtime.launch.haproxy_config (not patient text)  # prose-ok
global
    maxconn 4096

defaults
    mode http
    option http-server-close
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout tunnel 1h

frontend backcare
    bind 127.0.0.1:{port}
    acl socketio path_beg /socket.io/
    use_backend rasa_sticky if socketio
    default_backend rasa

backend rasa
    balance roundrobin
    option httpchk GET /
{plain}

backend rasa_sticky
    balance source
    hash-type consistent
    cookie BACKCARE_SERVER insert indirect nocache httponly
    option httpchk GET /
{sticky}
"""


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
    # HAProxy in the foreground ignores SIGINT; the Python parts stop cleanly on it.
    stop_signal: int = signal.SIGINT
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
    # Every Rasa server's port (the first is rasa_port), and HAProxy's when scaled out.
    rasa_ports: list[int] = field(default_factory=list)
    balancer_port: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _supervisor: threading.Thread | None = None

    @property
    def rasa_url(self) -> str:
        """Return the Rasa server's base URL."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_urls(self) -> list[str]:
        """Return every Rasa server's base URL."""
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports or [self.rasa_port]]

    @property
    def public_url(self) -> str:
        """Return where patients' channels reach the product: the balancer if there is one."""
        if self.balancer_port is None:
            return self.rasa_url
        return f"http://127.0.0.1:{self.balancer_port}"

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
        for part in reversed(self.parts.values()):
            if part.process is not None and part.process.poll() is None:
                part.process.send_signal(part.stop_signal)
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
    lock_store_url = env.get("BACKCARE_LOCK_STORE_URL", settings.lock_store_url).strip()
    env["BACKCARE_LOCK_STORE_URL"] = lock_store_url
    password = urllib.parse.urlsplit(lock_store_url).password if lock_store_url else None
    if password:
        env["BACKCARE_LOCK_STORE_PASSWORD"] = urllib.parse.unquote(password)
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
    servers: Sequence[tuple[int, int]] = (),
    balancer_port: int | None = None,
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
        servers: the (Rasa, action) ports of each further Rasa server and its action
            server (the production profile); they need ``BACKCARE_LOCK_STORE_URL``.
        balancer_port: also run HAProxy on this port in front of every Rasa server.
    """
    settings = get_settings()
    env = product_env(settings, {**(overrides or {}), "ACTION_PORT": str(action_port)})
    if servers and not env["BACKCARE_LOCK_STORE_URL"]:
        raise ValueError(
            "several Rasa servers need a shared lock store: set BACKCARE_LOCK_STORE_URL "
            "(redis://host:6379/1)"
        )
    haproxy = shutil.which("haproxy") if balancer_port is not None else None
    if balancer_port is not None and haproxy is None:
        raise RuntimeError("haproxy not found: install it with `make balancer-deps`")
    log_dir.mkdir(parents=True, exist_ok=True)
    all_ports = [(rasa_port, action_port), *servers]
    stack = Stack(
        rasa_port=rasa_port,
        action_port=action_port,
        env=env,
        rasa_ports=[ports[0] for ports in all_ports],
        balancer_port=balancer_port,
    )
    python = sys.executable
    try:
        for number, (_, one_action_port) in enumerate(all_ports, start=1):
            if not with_actions:
                break
            # The first server keeps the single-process names ("rasa", "actions").
            stack.start_part(
                Part(
                    f"actions{_suffix(number)}",
                    [python, "-m", "actions"],
                    log_dir / f"actions{_suffix(number)}.log",
                    f"http://127.0.0.1:{one_action_port}/health",
                    env={
                        "SANIC_REQUEST_MAX_SIZE": str(ACTION_SERVER_MAX_REQUEST_BYTES),
                        "ACTION_PORT": str(one_action_port),
                    },
                )
            )
        if with_actions:
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
        endpoints = endpoints_for(
            env["BACKCARE_LOCK_STORE_URL"], REPO_ROOT / "endpoints.yml", log_dir
        )
        token = env.get("RASA_API_TOKEN", "").strip()
        for number, (one_rasa_port, one_action_port) in enumerate(all_ports, start=1):
            suffix = _suffix(number)
            command = [
                python, "-m", "bot.runtime.server", "run",
                "--model", str(model),
                "--endpoints", str(endpoints),
                "--credentials", str(credentials),
                "--interface", "127.0.0.1",
                "--port", str(one_rasa_port),
            ]  # fmt: skip
            if token:
                command += ["--enable-api", "--auth-token", token]
            stack.start_part(
                Part(
                    f"rasa{suffix}",
                    command,
                    log_dir / f"rasa{suffix}.log",
                    f"http://127.0.0.1:{one_rasa_port}/",
                    env={"ACTION_PORT": str(one_action_port)},
                )
            )
            if number == 1 and len(all_ports) > 1:
                # The first server creates the database's tables and indexes; the others
                # start once it is up, so that no two create them at once (PostgreSQL's
                # "IF NOT EXISTS" does not protect two concurrent creators).
                first = stack.parts[f"rasa{suffix}"]
                if first.health_url and first.process is not None:
                    wait_for_http(first.health_url, READY_TIMEOUT_SECONDS, first.process)
        if haproxy is not None and balancer_port is not None:
            config = log_dir / "haproxy.cfg"
            config.write_text(haproxy_config(stack.rasa_ports, balancer_port), encoding="utf-8")
            stack.start_part(
                Part(
                    "balancer",
                    [haproxy, "-db", "-f", str(config)],
                    log_dir / "balancer.log",
                    f"{stack.public_url}/",
                    stop_signal=signal.SIGTERM,
                )
            )
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


def _suffix(number: int) -> str:
    return "" if number == 1 else f"-{number}"


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(  # noqa: S603 (fixed commands, no shell)
        command, cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )


# Further Rasa servers start here above RASA_PORT, clear of the health port (RASA_PORT+1
# by default) and the other fixed ports.
FURTHER_RASA_PORT_OFFSET = 10


def further_servers(settings: Settings) -> list[tuple[int, int]]:
    """Return the (Rasa, action) ports of the production profile's further servers.

    They are ``RASA_PORT+11``, ``RASA_PORT+12``... and ``ACTION_PORT+1``,
    ``ACTION_PORT+2``...; a clash with another configured port fails fast.
    """
    servers = [
        (settings.rasa_port + FURTHER_RASA_PORT_OFFSET + i, settings.action_port + i)
        for i in range(1, max(1, settings.rasa_servers))
    ]
    fixed = [settings.rasa_port, settings.action_port, settings.health_port, settings.console_port]
    if servers:
        fixed.append(settings.balancer_port)
    ports = fixed + [port for pair in servers for port in pair]
    if len(set(ports)) != len(ports):
        raise ValueError(f"the production profile's ports clash: {sorted(ports)}")
    return servers


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
        servers=further_servers(settings),
        balancer_port=settings.balancer_port if settings.rasa_servers > 1 else None,
    )
    try:
        health = serve_health(stack, settings.health_port)
    except BaseException:
        stack.stop()
        raise
    url = stack.public_url
    print(f"BackCare is ready. Talk to it at {url}")
    if len(stack.rasa_ports) > 1:
        print(
            f"  {len(stack.rasa_ports)} Rasa servers behind HAProxy: {', '.join(stack.rasa_urls)}"
        )
    print(f"  Web chat: {url}/webhooks/webchat/")
    body = '{"sender": "me", "message": "hello"}'
    print(
        f"  REST:  curl -s {url}/webhooks/rest/webhook "
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
