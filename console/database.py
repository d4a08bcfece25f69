"""Translate the bot's SQLAlchemy database URL into Django's ``DATABASES`` entry.

The bot and the console share one database, named once by ``BACKCARE_DATABASE_URL``
(``sqlite:///var/backcare.db`` by default, ``postgresql://user:pw@host:5432/backcare``
in production)::

    DATABASES = {"default": django_database(get_settings().database_url)}
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
}


def django_database(url: str) -> dict[str, Any]:
    """Return the Django database settings for the SQLAlchemy ``url``.

    Raises:
        ValueError: the URL names a database Django is not set up for here.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in ENGINES:
        raise ValueError(f"the console supports SQLite and PostgreSQL, not {backend!r}")
    if backend == "sqlite":
        # The bot writes the same file: wait for its lock as the bot's engine does.
        return {"ENGINE": ENGINES[backend], "NAME": parsed.database, "OPTIONS": {"timeout": 30}}
    return {
        "ENGINE": ENGINES[backend],
        "NAME": parsed.database or "",
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.host or "",
        "PORT": str(parsed.port or ""),
        # Query options (sslmode=require...) are libpq connection parameters.
        "OPTIONS": {key: str(value) for key, value in parsed.query.items()},
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
