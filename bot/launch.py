"""Start the whole product: action server, alert delivery worker and Rasa server.

``make run`` calls ``python -m bot.launch``; the end-to-end tests and the benchmark use
:func:`start_stack` with free loopback ports. The Rasa server's HTTP API (tracker
reads, ``/model/parse``) is enabled only when ``RASA_API_TOKEN`` is set, and then it
requires that token. Ctrl-C (SIGINT) or SIGTERM stops every process cleanly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import yaml
from sqlalchemy.engine import make_url

from bot.settings import REPO_ROOT, Settings, get_settings

READY_TIMEOUT_SECONDS = 180.0
_TRUE = {"1", "true", "yes", "on"}


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


@dataclass
class Stack:
    """The running processes of one product instance."""

    rasa_port: int
    action_port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        """Return the Rasa server's base URL."""
        return f"http://127.0.0.1:{self.rasa_port}"

    def stop(self, timeout: float = 20.0) -> None:
        """Stop every process, politely first, then by force."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def product_env(settings: Settings, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment for the product's processes."""
    env = dict(os.environ)
    env.update(overrides or {})
    database_url = env.get("BACKCARE_DATABASE_URL", settings.database_url)
    env["BACKCARE_DATABASE_URL"] = database_url
    env.update(tracker_store_env(database_url))
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
) -> Stack:
    """Start the action server (optional), delivery worker and Rasa server; wait until ready.

    Args:
        model: trained model file or folder of models.
        rasa_port: port of the Rasa server on 127.0.0.1.
        action_port: port of the action server.
        log_dir: folder for the processes' logs.
        overrides: extra environment variables (e.g. a test database URL).
        with_actions: start the action server and delivery worker (tests of the
            action-server-down case pass ``False``).
        credentials: channel credentials file, ``credentials.yml`` when ``None`` (the
            web and SMS channel tests pass a temporary file that enables those channels).
    """
    settings = get_settings()
    env = product_env(settings, {**(overrides or {}), "ACTION_PORT": str(action_port)})
    log_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(rasa_port=rasa_port, action_port=action_port)
    python = sys.executable
    try:
        if with_actions:
            actions = _spawn(
                [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
                env,
                log_dir / "actions.log",
            )
            stack.processes.append(actions)
            stack.processes.append(
                _spawn([python, "-m", "bot.alerts.delivery"], env, log_dir / "delivery.log")
            )
        rest_enabled = bool(env.get("BACKCARE_REST_TOKEN", "").strip())
        source = credentials or REPO_ROOT / "credentials.yml"
        credentials = credentials_for(rest_enabled, source, settings.var_dir)
        command = [
            python, "-m", "bot.server", "run",
            "--model", str(model),
            "--endpoints", "endpoints.yml",
            "--credentials", str(credentials),
            "--interface", "127.0.0.1",
            "--port", str(rasa_port),
        ]  # fmt: skip
        token = env.get("RASA_API_TOKEN", "").strip()
        if token:
            command += ["--enable-api", "--auth-token", token]
        rasa = _spawn(command, env, log_dir / "rasa.log")
        stack.processes.append(rasa)
        if with_actions:
            wait_for_http(f"http://127.0.0.1:{action_port}/health", READY_TIMEOUT_SECONDS, actions)
        wait_for_http(f"{stack.rasa_url}/", READY_TIMEOUT_SECONDS, rasa)
    except BaseException:
        stack.stop()
        raise
    return stack


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(  # noqa: S603 (fixed commands, no shell)
        command, cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )


def main() -> int:
    """Start the product on the configured ports and wait for Ctrl-C."""
    settings = get_settings()
    model = REPO_ROOT / "models"
    chosen = os.environ.get("BACKCARE_CREDENTIALS", "").strip()
    credentials = (REPO_ROOT / chosen) if chosen else None
    stack = start_stack(
        model,
        settings.rasa_port,
        settings.action_port,
        settings.var_dir / "logs",
        credentials=credentials,
    )
    print(f"BackCare is ready. Talk to it at {stack.rasa_url}")
    print(f"  Web chat: {stack.rasa_url}/webhooks/webchat/")
    body = '{"sender": "me", "message": "hello"}'
    print(f"  REST:  curl -s {stack.rasa_url}/webhooks/rest/webhook -d '{body}'")
    print(f"  Logs:  {settings.var_dir / 'logs'}   Stop: Ctrl-C")
    stopping = False

    def _stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            if any(p.poll() is not None for p in stack.processes[-1:]):
                print("the Rasa server stopped; see the logs", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        print("stopping...")
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
