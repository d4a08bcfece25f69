"""Start the real console (``python -m console serve``) on a free port for a test."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.runtime.launch import free_port
from bot.settings import REPO_ROOT


def serve_console(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start the console with ``env``, wait until ``/health/`` answers; return it and its URL.

    Its output goes to ``folder / "serve.log"``, which the error shows if it never answers.
    """
    port = free_port()
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/health/", timeout=2):
                return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((folder / "serve.log").read_text()) from None
            time.sleep(0.2)


def console_env(folder: Path, database_url: str) -> dict[str, str]:
    """Return the environment for a console on ``database_url`` keeping files in ``folder``."""
    env = {**os.environ, "BACKCARE_VAR_DIR": str(folder), "BACKCARE_DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def create_users(env: dict[str, str], users: dict[str, str], password: str) -> None:
    """Create each ``name: role`` with ``python -m console createuser`` (password on stdin)."""
    for name, role in users.items():
        subprocess.run(
            [sys.executable, "-m", "console", "createuser", name, "--role", role],
            input=password + "\n",
            text=True,
            cwd=REPO_ROOT,
            env=env,
            check=True,
            timeout=120,
        )


@contextlib.contextmanager
def running_console(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """Serve the console for the ``with`` block and give its URL; stop it afterwards."""
    process, url = serve_console(folder, env)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def sign_in(browser: Any, address: str, name: str, password: str) -> Any:
    """Open a new desktop page and sign in with the form; return the page."""
    from tests.fakes.browser import DESKTOP

    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(address + "/login/")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def sign_in_by_keyboard(page: Any, name: str, password: str) -> None:
    """On the sign-in page, sign in as a keyboard user does: type, Tab, type, Enter."""
    page.get_by_label("User name").focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
