"""Benchmark the clinicians' console over a large database (``make bench-console``).

Seeds a throw-away SQLite database with 10,000 conversations in Rasa's own ``events``
table (one of them 5,000 events long, about 1,000 turns), a care-team alert for each
conversation with a red flag, and pacing, flare-up and check-in data for the long one.
Then, through Django's test client with a signed-in clinician (every request runs the
full middleware stack and writes its audit row, as in production):

- times the first build of the conversation index (once);
- times each page ``--runs`` times after a warm-up, and prints the median and the
  slowest: the case queue (``/cases/``), the conversation list, a text search, a
  filtered search, the review queue (all reasons, and one reason's second page), the
  5,000-event transcript (its first and last pages of 200 turns, and the whole of it on
  one page).

Writes the figures as JSON under ``var/bench/``. Nothing leaves the machine and the
database is deleted at the end. ``--conversations`` and ``--long-events`` change the
sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.alerts.outbox import alert_key

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "var" / "bench"
START = datetime(2026, 9, 1, tzinfo=timezone.utc).timestamp()
MODEL_ID = "4f1c2a9e8b7d4c3e9a1b2c3d4e5f6a7b"
PATIENT_TEXTS = [
    "my lower back aches after sitting at work",
    "what is pacing?",
    "why does it still hurt after six months",
    "is it safe to walk when my back hurts",
    "I can't sleep because of my back",
    "can you help me make a plan for walking",
    "thanks, that helps",
    "flare up again today, feeling low",
    "how much should I do on a bad day",
    "hurt doesn't mean harm?",
]
RED_FLAGS = [
    ("I can't feel my saddle area and I wet myself", "cauda_equina_bladder", "emergency", "wet myself"),
    ("my foot keeps dragging and it is getting worse", "progressive_weakness", "urgent", "foot keeps dragging"),
    ("I have had a fever and night sweats with the back pain", "infection", "soon", "fever and night sweats"),
]
BOT_REPLIES = [
    ("Pain is a protector: it can be on guard even when the tissues have healed.", "", "education.pain_protector"),
    ("Pacing means doing a steady amount each day, good day or bad.", "", "pacing.intro"),
    ("Sorry, I did not follow that. You can ask about pain, pacing or flare-ups.", "utter_turn_fallback", ""),
    ("Call [999](tel:999) now: these signs need help today.", "utter_red_flag_emergency", ""),
]
INTENTS = ["ask_pain_science", "ask_pacing", "request_pacing_plan", "report_flare_up", "thank", "greet"]
CHANNELS = ["socketio", "socketio", "socketio", "twilio", "rest"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--long-events", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


class Seeder:
    """Write events rows as Rasa's tracker store does (the same columns and JSON)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[tuple[Any, ...]] = []
        self.alerts: list[tuple[str, str, str, str, str, str]] = []

    def event(self, sender: str, clock: float, data: dict[str, Any], intent: str | None = None) -> None:
        data["timestamp"] = clock
        data.setdefault("metadata", {})["model_id"] = MODEL_ID
        self.rows.append(
            (sender, data["event"], clock, intent, data.get("name"), json.dumps(data))
        )

    def user(self, sender: str, clock: float, channel: str, number: int, red_flag: bool) -> str:
        entities: list[dict[str, Any]] = []
        if red_flag:
            text, flag, tier, evidence = self.rng.choice(RED_FLAGS)
            start = text.find(evidence)
            entities = [
                {"entity": "red_flag", "value": flag, "role": tier, "start": start,
                 "end": start + len(evidence), "confidence_entity": 1.0, "extractor": "RedFlagDetector"}
            ]
            intent = "red_flag_emergency" if tier == "emergency" else f"red_flag_{tier}"
            confidence = 1.0
            key = alert_key(sender, f"{sender}-{number}", clock)
            self.alerts.append((sender, channel, tier, flag, text, key))
        else:
            text = f"{self.rng.choice(PATIENT_TEXTS)} ({number})"
            intent = self.rng.choice(INTENTS) if self.rng.random() > 0.05 else "nlu_fallback"
            confidence = round(self.rng.uniform(0.4, 0.99), 3)
        ranking = [{"name": intent, "confidence": confidence}] + [
            {"name": name, "confidence": 0.01} for name in INTENTS[:5] if name != intent
        ]
        message_id = f"{sender}-{number}"
        self.event(
            sender,
            clock,
            {
                "event": "user",
                "text": text,
                "parse_data": {
                    "intent": {"name": intent, "confidence": confidence},
                    "entities": entities,
                    "text": text,
                    "message_id": message_id,
                    "metadata": {},
                    "intent_ranking": ranking,
                },
                "input_channel": channel,
                "message_id": message_id,
            },
            intent=intent,
        )
        return intent

    def turn(self, sender: str, clock: float, channel: str, number: int, red_flag: bool) -> float:
        intent = self.user(sender, clock, channel, number, red_flag)
        text, response, content_id = (
            BOT_REPLIES[3] if red_flag else BOT_REPLIES[2] if intent == "nlu_fallback" else self.rng.choice(BOT_REPLIES[:2])
        )
        action = response or "action_explain_topic"
        self.event(sender, clock + 0.2, {"event": "action", "name": action, "policy": "RulePolicy", "confidence": 1.0})
        metadata: dict[str, Any] = {"utter_action": response} if response else {"content_id": content_id}
        self.event(
            sender,
            clock + 0.3,
            {"event": "bot", "text": text, "data": {"buttons": [{"title": "Tell me more", "payload": "/more"}]}, "metadata": metadata},
        )
        self.event(sender, clock + 0.4, {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0})
        return clock + self.rng.uniform(20, 600)

    def start(self, sender: str, clock: float) -> float:
        self.event(sender, clock, {"event": "action", "name": "action_session_start"})
        self.event(sender, clock, {"event": "session_started"})
        self.event(sender, clock, {"event": "action", "name": "action_listen"})
        return clock + 1

    def conversation(self, sender: str, channel: str, turns: int, red_flag: bool) -> None:
        clock = self.start(sender, START + self.rng.uniform(0, 90 * 86400))
        flag_turn = self.rng.randrange(turns) if red_flag else -1
        for number in range(turns):
            clock = self.turn(sender, clock, channel, number, number == flag_turn)

    def long_conversation(self, sender: str, events: int) -> None:
        """Write one conversation of ``events`` events (written first, so rows are all its)."""
        clock = self.start(sender, START)
        number = 0
        checkin = 0
        while len(self.rows) < events - 8:
            clock = self.turn(sender, clock, "twilio", number, number % 97 == 5)
            if number % 50 == 10:
                checkin += 1
                for slot, value in (("peg_pain", 6), ("peg_enjoyment", 5), ("peg_activity", 7)):
                    self.event(sender, clock, {"event": "slot", "name": slot, "value": value})
                self.event(sender, clock, {"event": "slot", "name": "peg_last_score", "value": 6.0 - checkin / 10})
            number += 1
        while len(self.rows) < events:
            self.event(sender, clock, {"event": "slot", "name": "pacing_activity", "value": "walking"})


def seed(db: Path, conversations: int, long_events: int, rng: random.Random) -> str:
    """Fill the database; return the sender id of the long conversation."""
    from rasa.core.tracker_store import SQLTrackerStore
    from sqlalchemy import create_engine

    from actions.pacing.store import metadata as plans_metadata
    from bot.alerts.outbox import TIER_PRIORITY, AlertDraft, add_in, ensure_schema

    url = f"sqlite:///{db}"
    engine = create_engine(url, future=True)
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    ensure_schema(engine)
    plans_metadata.create_all(engine)
    seeder = Seeder(rng)
    long_sender = "+447700900555"
    seeder.long_conversation(long_sender, long_events)
    for index in range(conversations - 1):
        channel = rng.choice(CHANNELS)
        sender = f"+4477009{index:05d}" if channel == "twilio" else f"web-{index:06x}{rng.getrandbits(32):08x}"
        seeder.conversation(sender, channel, rng.randint(2, 7), rng.random() < 0.05)
    with sqlite3.connect(db) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES (?, ?, ?, ?, ?, ?)",
            seeder.rows,
        )
        connection.execute(
            "INSERT INTO pacing_plans (sender_id, activity, unit, good_day, bad_day, increase_pct, goal, start, step, weeks, current_week, created_at, updated_at) "
            "VALUES (?, 'walking', 'minutes', 20, 10, 10, 30, 12, 2, '[12, 14, 16, 18, 20, 22, 24, 26, 28, 30]', 3, '2026-09-02 10:00:00', '2026-09-20 10:00:00')",
            (long_sender,),
        )
        connection.execute(
            "INSERT INTO flare_up_plans (sender_id, triggers, warning_signs, helps, contacts, step_back, updated_at) "
            "VALUES (?, 'long drives', 'stiff in the morning', 'heat and short walks', 'my physio', 'halve my walks', '2026-09-21 10:00:00')",
            (long_sender,),
        )
    with engine.begin() as connection:
        for sender, channel, tier, flag, text, key in seeder.alerts:
            add_in(
                connection,
                AlertDraft(
                    kind="red_flag", conversation_id=sender, channel=channel, tier=tier, flag_ids=[flag],
                    message=text, priority=TIER_PRIORITY[tier], key=key,
                ),
            )
    engine.dispose()
    print(f"seeded {conversations} conversations, {len(seeder.rows)} events, {len(seeder.alerts)} alerts")
    return long_sender


def timed(run: Callable[[], Any], runs: int) -> dict[str, float]:
    for _ in range(2):
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    folder = Path(tempfile.mkdtemp(prefix="bench_console_"))
    db = folder / "backcare.db"
    os.environ["BACKCARE_VAR_DIR"] = str(folder)
    os.environ["BACKCARE_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "console.settings"
    try:
        return run(args, db)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, db: Path) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from console.transcripts import lines
    from console.transcripts.index import conversation_key, refresh_index

    rng = random.Random(args.seed)
    started = time.perf_counter()
    long_sender = seed(db, args.conversations, args.long_events, rng)
    print(f"seeding took {time.perf_counter() - started:.1f} s")
    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user(username="bench", password="bench-only-not-used-1")
    user.groups.add(Group.objects.get(name="clinician"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    started = time.perf_counter()
    folded = refresh_index()
    build_ms = (time.perf_counter() - started) * 1000
    print(f"first index build: {folded} events in {build_ms / 1000:.1f} s")

    key = conversation_key(long_sender)
    pages = {
        "case queue /cases/": "/cases/",
        "conversation list": "/conversations/",
        "text search (q=saddle)": "/conversations/?q=saddle",
        "filtered search (tier, channel, intent, not reviewed, q)": (
            "/conversations/?tier=emergency&channel=twilio&intent=red_flag_emergency&reviewed=no&q=wet+myself"
        ),
        "review queue /review/ (every reason)": "/review/",
        "review queue, keywords only, page 2": "/review/?reason=keyword&page=2",
        "5,000-event transcript, first page": f"/conversations/{key}/",
        "5,000-event transcript, last page": f"/conversations/{key}/?page=99",
    }

    def page(url: str) -> Callable[[], Any]:
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    results: dict[str, Any] = {"index_build_ms": round(build_ms, 1), "events_indexed": folded}
    for name, url in pages.items():
        results[name] = timed(page(url), args.runs)
    # The whole conversation on one page: the cost of rendering all 5,000 events at once.
    per_page = lines.TURNS_PER_PAGE
    lines.TURNS_PER_PAGE = 100_000
    try:
        results["5,000-event transcript, all on one page"] = timed(page(f"/conversations/{key}/"), args.runs)
    finally:
        lines.TURNS_PER_PAGE = per_page

    width = max(len(name) for name in pages) + 8
    print(f"\n{'page':<{width}} {'median':>9} {'slowest':>9}")
    for name, figures in results.items():
        if isinstance(figures, dict):
            print(f"{name:<{width}} {figures['median_ms']:>6.1f} ms {figures['max_ms']:>6.1f} ms")
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results["settings"] = vars(args)
    (OUT / f"console-{stamp}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nwritten to var/bench/console-{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
