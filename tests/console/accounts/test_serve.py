"""``python -m console serve``: migrates a fresh database, serves with waitress, stops on SIGINT."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

from bot.runtime.launch import free_port
from bot.settings import REPO_ROOT


def test_serve_migrates_then_serves_the_sign_in_page_and_stops_on_sigint(tmp_path):
    port = free_port()
    db = tmp_path / "backcare.db"
    env = {
        **os.environ,
        "BACKCARE_VAR_DIR": str(tmp_path),
        "BACKCARE_DATABASE_URL": f"sqlite:///{db}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "the console did not answer"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
            page = response.read().decode()
            assert response.headers["X-Frame-Options"] == "DENY"
        assert "Sign in" in page
        with sqlite3.connect(db) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert {"care_team_outbox", "console_case_state", "console_audit_event"} <= tables
        assert (tmp_path / "console.key").exists()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) in (0, 1, -signal.SIGINT)
        log.close()
