import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_work_locally(monkeypatch):
    for name in ("BACKCARE_DATABASE_URL", "BACKCARE_EMERGENCY_NUMBER", "RASA_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/backcare.db")
    assert settings.emergency_number == "999"
    assert settings.rasa_api_token == ""


@pytest.mark.parametrize("value", ["", "changeme", "  CHANGEME ", "placeholder"])
def test_required_secret_that_is_missing_or_a_placeholder_fails_fast(monkeypatch, value):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", value)
    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN"):
        load_settings().require("twilio_auth_token")


def test_required_secret_with_a_real_value_is_returned(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "a1b2c3")
    assert load_settings().require("twilio_auth_token") == "a1b2c3"


def test_bad_port_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("RASA_PORT", "fifty")
    with pytest.raises(SettingsError, match="RASA_PORT"):
        load_settings()


def test_review_rates_default_and_read(monkeypatch):
    monkeypatch.delenv("BACKCARE_REVIEW_SAMPLE_RATE", raising=False)
    monkeypatch.setenv("BACKCARE_REVIEW_MIN_CONFIDENCE", "0.35")
    settings = load_settings()
    assert settings.review_sample_rate == 0.05
    assert settings.review_min_confidence == 0.35


@pytest.mark.parametrize("value", ["five percent", "1.5", "-0.1", "nan"])
def test_a_review_rate_outside_zero_to_one_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("BACKCARE_REVIEW_SAMPLE_RATE", value)
    with pytest.raises(SettingsError, match="BACKCARE_REVIEW_SAMPLE_RATE"):
        load_settings()


def test_the_console_finds_the_rasa_server_on_loopback_unless_told(monkeypatch):
    monkeypatch.delenv("BACKCARE_RASA_URL", raising=False)
    monkeypatch.setenv("RASA_PORT", "5123")
    assert load_settings().rasa_url == "http://127.0.0.1:5123"
    monkeypatch.setenv("BACKCARE_RASA_URL", "http://rasa.internal:5005/")
    assert load_settings().rasa_url == "http://rasa.internal:5005"


def test_reminder_settings_default_and_read(monkeypatch):
    for name in ("BACKCARE_TIME_ZONE", "BACKCARE_REMINDER_QUIET_HOURS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.time_zone == "Europe/London"
    assert settings.reminder_quiet_hours == "21:00-08:00"
    assert settings.reminder_window_minutes == 60
    monkeypatch.setenv("BACKCARE_TIME_ZONE", "America/New_York")
    monkeypatch.setenv("BACKCARE_REMINDER_QUIET_HOURS", "off")
    monkeypatch.setenv("BACKCARE_REMINDER_INTERVAL", "2")
    settings = load_settings()
    assert settings.time_zone == "America/New_York"
    assert settings.reminder_quiet_hours == "off"
    assert settings.reminder_interval_seconds == 2.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BACKCARE_TIME_ZONE", "Middle/Earth"),
        ("BACKCARE_REMINDER_QUIET_HOURS", "after dark"),
        ("BACKCARE_REMINDER_WINDOW_MINUTES", "0"),
    ],
)
def test_a_bad_reminder_setting_is_a_clear_error(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()
