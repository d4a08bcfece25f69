"""``python -m console serve``: migrates a fresh database, serves with waitress, stops on SIGINT."""

from __future__ import annotations

import os
import signal
import sqlite3
import urllib.request

from tests.console.serving import serve_console


def test_serve_migrates_then_serves_the_sign_in_page_and_stops_on_sigint(tmp_path):
    db = tmp_path / "backcare.db"
    env = {
        **os.environ,
        "BACKCARE_VAR_DIR": str(tmp_path),
        "BACKCARE_DATABASE_URL": f"sqlite:///{db}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process, url = serve_console(tmp_path, env)
    try:
        with urllib.request.urlopen(f"{url}/login/", timeout=5) as response:
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
