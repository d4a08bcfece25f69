import yaml

from bot.launch import REST_CHANNEL_KEY, credentials_for, tracker_store_env


def test_tracker_store_uses_the_database_url():
    env = tracker_store_env("postgresql://u:p@db:5432/backcare")
    assert env == {"BACKCARE_DATABASE_URL": "postgresql://u:p@db:5432/backcare", "BACKCARE_TS_DIALECT": "postgresql"}
    assert tracker_store_env("sqlite:////tmp/x.db")["BACKCARE_TS_DIALECT"] == "sqlite"


def test_rest_channel_can_be_switched_off(tmp_path):
    source = tmp_path / "credentials.yml"
    source.write_text(f"{REST_CHANNEL_KEY}: {{}}\nbot.channels.web.WebChatInput:\n  session_persistence: true\n")
    assert credentials_for(True, source, tmp_path) == source
    reduced = yaml.safe_load(credentials_for(False, source, tmp_path).read_text())
    assert REST_CHANNEL_KEY not in reduced
    assert reduced["bot.channels.web.WebChatInput"] == {"session_persistence": True}
