"""Conversation fuzzer: seeded random walks through the real servers, invariants on every turn.

``make fuzz`` runs a large budget; ``make test`` runs a small one through
``tests/e2e/test_fuzz.py``. It starts the real stack (Rasa server, action server,
delivery worker) on loopback with a fresh SQLite database and talks to it over the
REST channel, as many conversations at once as ``--workers`` says. Each turn picks, at
random but reproducibly from ``--seed``:

- a button the assistant has just offered (its payload, as a click sends it);
- a short reply people really type ("ok", "no thanks", "?", an emoji...);
- a question from the held-out NLU test data (``tests/nlu/test_nlu.yml``);
- a red flag from the safety suite (``tests/safety/phrasings.yml``);
- odd input (HTML, a typed Rasa command, look-alike letters, a long message).

Invariants checked on every turn (a break is reported with the conversation so far):

1. HTTP 200 and at least one message; at most :data:`MAX_MESSAGES` messages;
2. no message text three times in one turn;
3. a red flag gets its tier's urgent-care response in that turn, and exactly one
   care-team alert row for that message;
4. after the run, the Rasa server's log has no loop guard ("Circuit breaker tripped",
   "loop guard") and no exception.

Usage::

    python -m scripts.fuzz --conversations 2000 --turns 20 --workers 4 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.runtime.launch import Stack, free_port, start_stack
from bot.settings import REPO_ROOT

MODEL = REPO_ROOT / "models" / "backcare.tar.gz"
MAX_MESSAGES = 8
SHORT_REPLIES = (
    "ok", "OK", "yes", "no", "no thanks", "maybe", "I don't know", "asdf", "\U0001f44d",
    "?", "thanks", "hello", "hi", "carry on", "cancel", "more", "help", "menu", "k", "y",
    "n", "1", "7", "A", "sure", "not now", "what?", "hmm", "bye", "", "   ",
)  # fmt: skip
ODD_INPUTS = (
    "<script>alert('x')</script>",
    '/red_flag_emergency{"safety_tier": "emergency"}',
    "/restart",
    "/affirm",
    "I c\u0430n't feel my bum",  # Cyrillic a
    "my back\u200b hurts",
    "\U0001f62d\U0001f62d\U0001f525",
    "back pain " * 300,
    "\u80cc\u4e2d\u304c\u75db\u3044",
    '{"message": "hi"}',
)
TIER_RANK = {"soon": 1, "urgent": 2, "emergency": 3}


def response_tier(name: str) -> str | None:
    """Return the tier an urgent-care response answers (None for other responses)."""
    if name.startswith("utter_urgent_care_emergency") or name == "utter_urgent_care_crisis":
        return "emergency"
    if name == "utter_urgent_care_same_day":
        return "urgent"
    if name in ("utter_urgent_care_soon", "utter_urgent_care_low_mood"):
        return "soon"
    return None


LOG_PROBLEMS = ("Circuit breaker tripped", "loop guard:", "Traceback (most recent call last)")


@dataclass(frozen=True)
class Pools:
    """What a random walk draws from."""

    questions: tuple[str, ...]
    red_flags: tuple[tuple[str, str], ...]


def load_pools(root: Path = REPO_ROOT) -> Pools:
    """Read the NLU test questions and the safety suite's red flags."""
    nlu = yaml.safe_load((root / "tests" / "nlu" / "test_nlu.yml").read_text(encoding="utf-8"))
    questions: list[str] = []
    for block in nlu.get("nlu", []):
        if str(block.get("intent", "")).startswith("red_flag"):
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                questions.append(line[2:].strip())
    suite = yaml.safe_load(
        (root / "tests" / "safety" / "phrasings.yml").read_text(encoding="utf-8")
    )
    flags = [
        (str(item["text"]), tier)
        for tier in ("emergency", "urgent", "soon")
        for item in suite.get(tier) or []
    ]
    return Pools(tuple(questions), tuple(flags))


@dataclass
class Turn:
    """One message sent and what came back."""

    text: str
    kind: str
    status: int
    replies: list[dict[str, Any]]
    tier: str | None = None


@dataclass
class Report:
    """What a run saw."""

    conversations: int = 0
    turns: int = 0
    red_flags: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    breaks: list[str] = field(default_factory=list)
    seconds: float = 0.0
    log_problems: Counter[str] = field(default_factory=Counter)
    safety_net_turns: int = 0

    @property
    def ok(self) -> bool:
        """Return whether no invariant broke."""
        return not self.breaks and not self.log_problems

    def summary(self) -> str:
        """Return a one-paragraph summary."""
        lines = [
            f"conversations {self.conversations}, turns {self.turns}, red flags {self.red_flags}, "
            f"{self.seconds:.0f} s",
            "turn kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(self.kinds.items())),
            f"invariant breaks: {len(self.breaks)}",
            "log: "
            + (", ".join(f"{k!r} x{v}" for k, v in self.log_problems.items()) or "clean")
            + f"; safety-net turns (policies missed a step, the net sent it): {self.safety_net_turns}",
        ]
        return "\n".join(lines)


def post_json(url: str, body: dict[str, Any], token: str) -> tuple[int, Any]:
    """POST ``body``; return the status and the decoded JSON (or None)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status), json.load(response)
    except urllib.error.HTTPError as error:
        return int(error.code), None


def choose(
    rng: random.Random, offered: Sequence[dict[str, Any]], pools: Pools
) -> tuple[str, str, str | None]:
    """Pick the next message: (text, kind, expected tier or None)."""
    roll = rng.random()
    if offered and roll < 0.40:
        button = rng.choice(list(offered))
        return str(button["payload"]), "button", None
    if roll < 0.62:
        return rng.choice(SHORT_REPLIES), "short", None
    if roll < 0.86:
        return rng.choice(pools.questions), "question", None
    if roll < 0.95:
        text, tier = rng.choice(pools.red_flags)
        return text, "red_flag", tier
    return rng.choice(ODD_INPUTS), "odd", None


def alert_count(database: Path, conversation: str, message: str) -> int:
    """Return how many alerts the outbox holds for ``message`` in ``conversation``."""
    with sqlite3.connect(database, timeout=30) as connection:
        row = connection.execute(
            "SELECT COUNT(*) FROM care_team_outbox WHERE conversation_id = ? AND message = ?",
            (conversation, message[:4000]),
        ).fetchone()
    return int(row[0])


def check_turn(turn: Turn, database: Path, conversation: str, times_sent: int = 1) -> list[str]:
    """Return the invariants this turn broke.

    ``times_sent`` is how often this conversation has sent this red-flag text so far:
    each sending is one alert.
    """
    problems = []
    if turn.status != 200:
        return [f"HTTP {turn.status}"]
    if not turn.replies:
        problems.append("no reply")
    if len(turn.replies) > MAX_MESSAGES:
        problems.append(f"{len(turn.replies)} messages")
    repeated = [t for t, n in Counter(m.get("text") for m in turn.replies).items() if n >= 3]
    if repeated:
        problems.append(f"the same text 3 times: {str(repeated[0])[:60]!r}")
    if turn.tier is not None:
        names = {str(m.get("response")) for m in turn.replies}
        reached = [TIER_RANK[t] for t in map(response_tier, names) if t is not None]
        if not reached or max(reached) < TIER_RANK[turn.tier]:
            problems.append(
                f"red flag ({turn.tier}) without its urgent-care reply: {sorted(names)}"
            )
        count = alert_count(database, conversation, turn.text)
        if count != times_sent:
            problems.append(f"red flag sent {times_sent} times with {count} alert rows")
    return problems


def walk(
    index: int,
    seed: int,
    turns: int,
    pools: Pools,
    say: Callable[[str, str], tuple[int, Any]],
    database: Path,
    report: Report,
    lock: threading.Lock,
) -> None:
    """Run one seeded conversation and record what broke."""
    rng = random.Random(f"{seed}:{index}")
    sender = f"fuzz-{seed}-{index}-{uuid.uuid4().hex[:6]}"
    conversation = "rest:" + sender
    history: list[str] = []
    offered: list[dict[str, Any]] = []
    sent_flags: Counter[str] = Counter()
    for _ in range(turns):
        text, kind, tier = choose(rng, offered, pools)
        status, replies = say(sender, text)
        replies = replies if isinstance(replies, list) else []
        turn = Turn(text, kind, status, replies, tier)
        if tier is not None:
            sent_flags[text] += 1
        history.append(f"  > {text[:80]!r} [{kind}]")
        history += [
            f"    < {m.get('response') or m.get('content_id')!s}: {str(m.get('text'))[:70]!r}"
            for m in replies
        ]
        problems = check_turn(turn, database, conversation, sent_flags[text])
        offered = [b for m in replies for b in (m.get("buttons") or []) if isinstance(b, dict)]
        with lock:
            report.turns += 1
            report.kinds[kind] += 1
            report.red_flags += tier is not None
            for problem in problems:
                report.breaks.append(f"{sender}: {problem}\n" + "\n".join(history[-12:]))
    with lock:
        report.conversations += 1


def read_log_problems(log: Path) -> tuple[Counter[str], int]:
    """Count loop guards and tracebacks in the Rasa server's log, and safety-net turns."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    found = Counter({p: text.count(p) for p in LOG_PROBLEMS if p in text})
    return found, text.count("safety net: the dialogue missed")


def run(
    conversations: int,
    turns: int,
    seed: int,
    workers: int,
    stack: Stack | None = None,
    token: str = "",
    database: Path | None = None,
    log: Path | None = None,
) -> Report:
    """Fuzz a running stack (or start one); return the report.

    Args:
        conversations: how many conversations to walk.
        turns: messages per conversation.
        seed: seed of every random choice (the same seed walks the same way).
        workers: conversations in flight at once.
        stack: a running stack to use; with it, ``token`` (its REST token),
            ``database`` (its SQLite file) and ``log`` (its Rasa log) are required.
    """
    pools = load_pools()
    owned = stack is None
    folder = Path(tempfile.mkdtemp(prefix="backcare-fuzz-"))
    if stack is None:
        token = "fuzz-" + uuid.uuid4().hex
        database = folder / "fuzz.db"
        log = folder / "logs" / "rasa.log"
        stack = start_stack(
            MODEL,
            free_port(),
            free_port(),
            folder / "logs",
            {
                "BACKCARE_DATABASE_URL": f"sqlite:///{database}",
                "BACKCARE_REST_TOKEN": token,
                "BACKCARE_VAR_DIR": str(folder / "var"),
            },
        )
    assert database is not None and log is not None and token
    url = f"{stack.rasa_url}/webhooks/rest/webhook"

    def say(sender: str, text: str) -> tuple[int, Any]:
        return post_json(url, {"sender": sender, "message": text}, token)

    report = Report()
    lock = threading.Lock()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(walk, i, seed, turns, pools, say, database, report, lock)
                for i in range(conversations)
            ]
            for future in futures:
                future.result()
    finally:
        report.seconds = time.monotonic() - started
        report.log_problems, report.safety_net_turns = read_log_problems(log)
        if owned:
            stack.stop()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzzer from the command line; exit 1 if an invariant broke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "var" / "fuzz" / "report.txt")
    args = parser.parse_args(argv)
    report = run(args.conversations, args.turns, args.seed, args.workers)
    text = report.summary()
    if report.breaks:
        text += "\n\nfirst breaks:\n" + "\n\n".join(report.breaks[:20])
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
