"""The bot's SQLAlchemy URL becomes the console's Django database settings."""

from __future__ import annotations

import pytest

from console.database import django_database


def test_sqlite_url():
    assert django_database("sqlite:///var/backcare.db") == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "var/backcare.db",
        "OPTIONS": {"timeout": 30},
    }


def test_absolute_sqlite_url():
    assert (
        django_database("sqlite:////srv/backcare/backcare.db")["NAME"]
        == "/srv/backcare/backcare.db"
    )


def test_postgresql_url_with_driver_and_options():
    settings = django_database(
        "postgresql+psycopg2://care:s3cret@db.internal:6543/backcare?sslmode=require"
    )
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["NAME"], settings["USER"], settings["PASSWORD"]) == (
        "backcare",
        "care",
        "s3cret",
    )
    assert (settings["HOST"], settings["PORT"]) == ("db.internal", "6543")
    assert settings["OPTIONS"] == {"sslmode": "require"}


def test_other_databases_are_refused():
    with pytest.raises(ValueError, match="mysql"):
        django_database("mysql://u@h/db")
