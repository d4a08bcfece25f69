"""What the SMS channel remembers per phone number, in the product's database.

Opt-outs, the buttons last offered (so that a reply "A" maps back to a payload), the
pages MORE sends next, and Twilio's id of every message handled (so that a replayed
webhook is answered once only)::

    store = SmsStore(settings.database_url)   # no I/O yet
    store.set_opted_out("+447700900123", True)
    store.first_sight(form.first("MessageSid"))   # False for a replay

Tables are created on first use, with SQLAlchemy Core, so SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from bot.channels.words import usable_buttons
from bot.db import engine_for


def _per_phone(metadata: sa.MetaData, name: str, value: sa.Column[Any], stamp: str) -> sa.Table:
    """Return a table of one ``value`` per phone number, with when it was written."""
    return sa.Table(
        name,
        metadata,
        sa.Column("phone", sa.String(64), primary_key=True),
        value,
        sa.Column(stamp, sa.DateTime, nullable=False),
    )


class SmsStore:
    """Opt-outs and the last offered buttons per phone number, in the product's database.

    Tables are created on first use (SQLAlchemy Core, so SQLite and PostgreSQL alike);
    creating the store does no I/O.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._engine: sa.engine.Engine | None = None
        self.metadata = sa.MetaData()
        self.opt_outs = _per_phone(
            self.metadata,
            "sms_opt_outs",
            sa.Column("opted_out", sa.Boolean, nullable=False),
            "changed_at",
        )
        self.offers = _per_phone(
            self.metadata,
            "sms_offered_buttons",
            sa.Column("buttons", sa.Text, nullable=False),
            "offered_at",
        )
        # What MORE sends next: the rest of a long answer, a text at a time.
        self.pages = _per_phone(
            self.metadata,
            "sms_pending_pages",
            sa.Column("pages", sa.Text, nullable=False),
            "stored_at",
        )
        # Twilio's id of every message handled, so that a replayed webhook is ignored.
        self.seen = sa.Table(
            "sms_seen_messages",
            self.metadata,
            sa.Column("message_sid", sa.String(64), primary_key=True),
            sa.Column("seen_at", sa.DateTime, nullable=False),
        )

    @property
    def engine(self) -> sa.engine.Engine:
        """Return the engine, creating it and the tables on first use."""
        if self._engine is None:
            engine = engine_for(self.database_url)
            self.metadata.create_all(engine, checkfirst=True)
            self._engine = engine
        return self._engine

    def is_opted_out(self, phone: str) -> bool:
        """Return whether ``phone`` has opted out of texts."""
        return bool(self._read(self.opt_outs.c.opted_out, phone))

    def set_opted_out(self, phone: str, opted_out: bool) -> None:
        """Record that ``phone`` opted out (``True``) or back in (``False``)."""
        self._replace(self.opt_outs, phone, {"opted_out": opted_out, "changed_at": _now()})

    def offered_buttons(self, phone: str) -> list[dict[str, str]]:
        """Return the buttons last offered to ``phone`` (empty if none)."""
        buttons = self._read_json(self.offers.c.buttons, phone)
        return usable_buttons(buttons) if isinstance(buttons, list) else []

    def set_offered_buttons(self, phone: str, buttons: list[dict[str, str]]) -> None:
        """Remember the buttons just offered to ``phone``; an empty list forgets them."""
        self._keep_json(self.offers, phone, "buttons", buttons, "offered_at")

    def pending_pages(self, phone: str) -> list[str]:
        """Return the pages MORE would send next (empty if none)."""
        pages = self._read_json(self.pages.c.pages, phone)
        return [page for page in pages if isinstance(page, str)] if isinstance(pages, list) else []

    def set_pending_pages(self, phone: str, pages: list[str]) -> None:
        """Keep ``pages`` for MORE; an empty list forgets them."""
        self._keep_json(self.pages, phone, "pages", pages, "stored_at")

    def first_sight(self, message_sid: str) -> bool:
        """Record ``message_sid``; return ``False`` if it was seen before (a replay)."""
        if not message_sid:
            return True
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.insert(self.seen).values(message_sid=message_sid[:64], seen_at=_now())
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def _read(self, column: sa.Column[Any], phone: str) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(column).where(column.table.c.phone == phone)
            ).scalar()

    def _read_json(self, column: sa.Column[Any], phone: str) -> Any:
        raw = self._read(column, phone)
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _keep_json(
        self, table: sa.Table, phone: str, column: str, items: list[Any], stamp: str
    ) -> None:
        if not items:
            with self.engine.begin() as connection:
                connection.execute(sa.delete(table).where(table.c.phone == phone))
            return
        self._replace(table, phone, {column: json.dumps(items), stamp: _now()})

    def _replace(self, table: sa.Table, phone: str, values: dict[str, Any]) -> None:
        # Delete and insert in one transaction: portable where dialect upserts differ.
        with self.engine.begin() as connection:
            connection.execute(sa.delete(table).where(table.c.phone == phone))
            connection.execute(sa.insert(table).values(phone=phone, **values))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
