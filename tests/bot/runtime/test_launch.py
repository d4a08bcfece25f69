import os
import sys
import time

import yaml

from bot.runtime.launch import (
    REST_CHANNEL_KEY,
    RESTART_BACKOFF_SECONDS,
    Part,
    Stack,
    credentials_for,
    product_env,
    tracker_store_env,
)
from bot.settings import load_settings


def test_tracker_store_uses_the_database_url():
    env = tracker_store_env("postgresql://u:p@db:5432/backcare")
    assert env == {"BACKCARE_DATABASE_URL": "postgresql://u:p@db:5432/backcare", "BACKCARE_TS_DIALECT": "postgresql"}
    assert tracker_store_env("sqlite:////tmp/x.db")["BACKCARE_TS_DIALECT"] == "sqlite"


def test_rest_channel_can_be_switched_off(tmp_path):
    source = tmp_path / "credentials.yml"
    source.write_text(f"{REST_CHANNEL_KEY}: {{}}\nbot.channels.web.channel.WebChatInput:\n  session_persistence: true\n")
    assert credentials_for(True, source, tmp_path) == source
    reduced = yaml.safe_load(credentials_for(False, source, tmp_path).read_text())
    assert REST_CHANNEL_KEY not in reduced
    assert reduced["bot.channels.web.channel.WebChatInput"] == {"session_persistence": True}


def quick_exit(tmp_path, code=3):
    return Part("worker", [sys.executable, "-c", f"raise SystemExit({code})"], tmp_path / "w.log")


def test_a_part_that_stops_is_restarted_with_back_off(tmp_path, capsys):
    stack = Stack(rasa_port=1, action_port=2, env={})
    stack.start_part(quick_exit(tmp_path))
    stack.parts["worker"].process.wait()
    now = time.monotonic()
    assert stack.supervise_once(now) == []  # waits first: 1 s
    assert stack.supervise_once(now + RESTART_BACKOFF_SECONDS[0]) == ["worker"]
    stack.parts["worker"].process.wait()
    later = now + 2
    assert stack.supervise_once(later) == []
    assert stack.supervise_once(later + RESTART_BACKOFF_SECONDS[1]) == ["worker"]
    assert stack.parts["worker"].restarts == 2
    err = capsys.readouterr().err
    assert "worker stopped (exit code 3); restarting in 1 s" in err
    assert "worker restarted (restart 2)" in err
    stack.stop()


def test_health_reports_every_part(tmp_path):
    stack = Stack(rasa_port=1, action_port=2, env={})
    stack.start_part(Part("sleeper", [sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "s.log"))
    stack.start_part(quick_exit(tmp_path))
    stack.parts["worker"].process.wait()
    report = stack.health()
    assert report["status"] == "degraded"
    assert report["parts"]["sleeper"]["running"] is True
    assert report["parts"]["worker"]["healthy"] is False
    stack.stop()


def test_the_action_server_always_gets_a_token(monkeypatch):
    monkeypatch.delenv("BACKCARE_ACTION_TOKEN", raising=False)
    env = product_env(load_settings())
    assert len(env["BACKCARE_ACTION_TOKEN"]) >= 32
    assert product_env(load_settings(), {"BACKCARE_ACTION_TOKEN": "given"})["BACKCARE_ACTION_TOKEN"] == "given"


def test_the_console_is_a_supervised_part_with_a_health_check(tmp_path):
    from bot.runtime.launch import console_part

    part = console_part("python3.10", 8123, tmp_path)
    assert part.name == "console"
    assert part.command == ["python3.10", "-m", "console", "serve", "--port", "8123"]
    assert part.health_url == "http://127.0.0.1:8123/health/"
    assert part.log == tmp_path / "console.log"


def test_a_part_gets_its_own_variables_over_the_stacks(tmp_path):
    stack = Stack(rasa_port=1, action_port=2, env={**os.environ, "SHARED": "stack", "OWN": "stack"})
    script = "import os; print(os.environ['SHARED'], os.environ['OWN'])"
    stack.start_part(Part("echo", [sys.executable, "-c", script], tmp_path / "e.log", env={"OWN": "part"}))
    stack.parts["echo"].process.wait()
    assert (tmp_path / "e.log").read_text().split() == ["stack", "part"]
    stack.stop()
