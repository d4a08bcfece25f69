"""Benchmark the real servers through the REST channel (``make bench``).

Starts the action server, the delivery worker and the Rasa server on free loopback ports
with a throw-away SQLite database (or each ``--database-url`` given: one deployment
each), then measures per-message latency (median, p95, p99) and throughput:

- the NLU floor (``/model/parse``) and a full turn (``/webhooks/rest/webhook``) at 1, 10
  and 50 concurrent conversations, in ``--rounds`` interleaved rounds (parse, REST, parse,
  REST...) of at least ``--messages``/``--rounds`` messages each, after a warm-up, so
  that every row has at least ``--messages`` messages and the spread between rounds is
  shown. Ratios are taken within one run, as the machine is shared and timings drift;
- one long conversation (``--long-turns`` turns) per round: the cost of the first turns
  against the last ones, i.e. how a turn's cost grows with the conversation's history;
- every process's resident memory (RSS), sampled through the whole run, and the Rasa
  server's under a stream of maximum-size messages;
- the red-flag detector's own cost per message;
- the scaled-out deployment (README "Scaling out"): two Rasa servers behind HAProxy over
  a fresh PostgreSQL database and a Redis lock store, full turns at 50 conversations
  through the balancer, compared with the first deployment's single-process NLU floor
  and full turn at 50 from the same run. Skipped, saying why, when the machine lacks
  HAProxy, PostgreSQL (``--scaled-postgres-url``) or Redis (``--scaled-redis-url``);
  ``--no-scaled`` leaves it out.

The rate limit is lifted for the benchmark's conversations (the long one sends hundreds
of messages). Prints a table and writes it as JSON under ``var/bench/`` (``rows`` with
``deployment``, ``path``, ``concurrency``, ``median_ms``, ``p95_ms``, ``p99_ms``,
``msgs_per_s``...). Every loop is bounded; all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import secrets
import shutil
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa
import yaml
from sqlalchemy.engine import make_url

from bot.runtime.launch import Stack, free_port, start_stack
from bot.settings import REPO_ROOT

MODEL = REPO_ROOT / "models" / "backcare.tar.gz"
OUT = REPO_ROOT / "var" / "bench"
CONVERSATION = [
    "hello",
    "what is pacing?",
    "why does my back still hurt after months",
    "is it safe to exercise with back pain",
    "I can't sleep because of my back",
    "thanks",
]
LEVELS = (1, 10, 50)
PARSE = "/model/parse"
REST = "REST conversation"
LONG = "REST long conversation"
# Turns compared in the long conversation: two whole passes of CONVERSATION at each end.
LONG_WINDOW = 2 * len(CONVERSATION)
REST_TOKEN = secrets.token_hex(16)
# The memory test: maximum-size messages from many conversations at once.
MAX_SIZE_MESSAGES = 100
MAX_SIZE_CONCURRENCY = 5
SCALED = "2 Rasa servers + HAProxy"
SCALED_CONCURRENCY = 50


def rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB (Linux /proc), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise(rounds: Sequence[Sequence[float]], seconds: Sequence[float]) -> dict[str, Any]:
    """Summarise latencies (seconds) measured in rounds, each taking ``seconds[i]``.

    Latency percentiles pool every message; throughput is all messages over all the
    time; the spread is each round's median and throughput, lowest to highest.
    """
    pooled = [value for latencies in rounds for value in latencies]
    round_medians = [statistics.median(latencies) * 1000 for latencies in rounds]
    round_rates = [len(latencies) / s for latencies, s in zip(rounds, seconds, strict=True)]
    return {
        "messages": len(pooled),
        "rounds": len(rounds),
        "median_ms": statistics.median(pooled) * 1000,
        "p95_ms": percentile(pooled, 95) * 1000,
        "p99_ms": percentile(pooled, 99) * 1000,
        "msgs_per_s": len(pooled) / sum(seconds),
        "round_median_ms": round_medians,
        "round_msgs_per_s": round_rates,
    }


def long_conversation_growth(conversations: Sequence[Sequence[float]], window: int) -> dict[str, Any]:
    """Compare the first ``window`` turns of each conversation with its last ``window``."""
    early = [value for turns in conversations for value in turns[:window]]
    late = [value for turns in conversations for value in turns[-window:]]
    early_ms = statistics.median(early) * 1000
    late_ms = statistics.median(late) * 1000
    return {
        "turns": min(len(turns) for turns in conversations),
        "window": window,
        "early_median_ms": early_ms,
        "late_median_ms": late_ms,
        "growth": late_ms / early_ms,
    }


def ratio_spread(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Return the per-round ratios, lowest to highest."""
    return sorted(n / d for n, d in zip(numerators, denominators, strict=True))


@dataclass
class Cursor:
    """One simulated patient: walks through CONVERSATION, a new conversation each pass."""

    prefix: str
    position: int = 0
    sender: str = ""

    def next_message(self) -> tuple[str, str]:
        """Return the (sender, text) of this patient's next message."""
        index = self.position % len(CONVERSATION)
        if index == 0:
            self.sender = f"{self.prefix}-{self.position}-{secrets.token_hex(3)}"
        self.position += 1
        return self.sender, CONVERSATION[index]


@dataclass
class MemorySampler:
    """Sample each process's RSS in a background thread until stopped."""

    pids: dict[str, int]
    interval: float = 0.5
    samples: dict[str, list[float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        """Take one sample of every process."""
        for name, pid in self.pids.items():
            value = rss_mb(pid)
            if value:
                self.samples.setdefault(name, []).append(value)

    def start(self) -> None:
        """Start sampling."""

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.sample()

        self.sample()
        self._thread = threading.Thread(target=loop, name="rss", daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, dict[str, float]]:
        """Stop sampling; return each process's RSS at start, peak and end (MB)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()
        return {
            name: {"rss_start_mb": values[0], "rss_peak_mb": max(values), "rss_end_mb": values[-1]}
            for name, values in self.samples.items()
        }


class Client:
    """Send timed messages to one stack."""

    def __init__(self, session: aiohttp.ClientSession, base: str, token: str) -> None:
        self.session = session
        self.base = base
        self.token = token

    async def parse(self, text: str) -> float:
        """Return the seconds one ``/model/parse`` took."""
        started = time.perf_counter()
        url = f"{self.base}/model/parse?token={self.token}"
        async with self.session.post(url, json={"text": text}) as response:
            await response.read()
            response.raise_for_status()
        return time.perf_counter() - started

    async def turn(self, sender: str, text: str) -> float:
        """Return the seconds one REST turn took."""
        started = time.perf_counter()
        url = f"{self.base}/webhooks/rest/webhook"
        headers = {"Authorization": f"Bearer {REST_TOKEN}"}
        body = {"sender": sender, "message": text}
        async with self.session.post(url, json=body, headers=headers) as response:
            await response.read()
            response.raise_for_status()
        return time.perf_counter() - started

    async def level(
        self, cursors: Sequence[Cursor], per_worker: int, parse: bool
    ) -> tuple[list[float], float]:
        """Run ``per_worker`` messages on each cursor at once; return latencies and seconds."""
        latencies: list[float] = []

        async def worker(cursor: Cursor) -> None:
            for _ in range(per_worker):
                sender, text = cursor.next_message()
                latencies.append(await (self.parse(text) if parse else self.turn(sender, text)))

        started = time.perf_counter()
        await asyncio.gather(*(worker(cursor) for cursor in cursors))
        return latencies, time.perf_counter() - started

    async def long_conversation(self, sender: str, turns: int) -> tuple[list[float], float]:
        """Send ``turns`` messages in one conversation; return each turn's seconds."""
        cursor = Cursor(sender)
        latencies = []
        started = time.perf_counter()
        for _ in range(turns):
            _, text = cursor.next_message()
            latencies.append(await self.turn(sender, text))
        return latencies, time.perf_counter() - started

    async def max_size_messages(self, size: int) -> dict[str, float]:
        """Send maximum-size messages, five per conversation (under the usual rate limit)."""
        text = ("my back hurts and I would like some advice about pacing " * 400)[:size]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(MAX_SIZE_MESSAGES):
            queue.put_nowait(n)
        latencies: list[float] = []

        async def worker() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                latencies.append(await self.turn(f"memory-{n // 5}", text))

        await asyncio.gather(*(worker() for _ in range(MAX_SIZE_CONCURRENCY)))
        return {
            "messages": len(latencies),
            "characters": len(text),
            "median_ms": statistics.median(latencies) * 1000,
        }


async def measure(stack: Stack, token: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run the warm-up, the interleaved rounds, the long conversations and the memory test."""
    per_round = math.ceil(args.messages / args.rounds)
    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=max(LEVELS) + 10)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        client = Client(session, stack.rasa_url, token)
        warm = [Cursor(f"warm-{i}") for i in range(10)]
        for parse in (True, False):
            await client.level(warm[:1], 2 * len(CONVERSATION), parse)
            await client.level(warm, len(CONVERSATION), parse)
        cursors = {c: [Cursor(f"bench-{c}-{i}") for i in range(c)] for c in LEVELS}
        measured: dict[tuple[str, int], tuple[list[list[float]], list[float]]] = {
            (path, c): ([], []) for path in (PARSE, REST) for c in LEVELS
        }
        long_runs: tuple[list[list[float]], list[float]] = ([], [])
        for round_index in range(args.rounds):
            for c in LEVELS:
                per_worker = math.ceil(per_round / c)
                for path in (PARSE, REST):
                    latencies, seconds = await client.level(cursors[c], per_worker, path == PARSE)
                    measured[path, c][0].append(latencies)
                    measured[path, c][1].append(seconds)
            if args.long_turns and round_index < args.long_rounds:
                latencies, seconds = await client.long_conversation(
                    f"bench-long-{round_index}-{secrets.token_hex(3)}", args.long_turns
                )
                long_runs[0].append(latencies)
                long_runs[1].append(seconds)
            print(f"  round {round_index + 1} of {args.rounds} done", file=sys.stderr)
        rows = [
            {"path": path, "concurrency": c, **summarise(*measured[path, c])}
            for c in LEVELS
            for path in (PARSE, REST)
        ]
        if long_runs[0]:
            rows.append(
                {
                    "path": LONG,
                    "concurrency": 1,
                    **summarise(*long_runs),
                    **long_conversation_growth(long_runs[0], LONG_WINDOW),
                }
            )
        memory = await client.max_size_messages(int(stack.env["BACKCARE_MAX_INBOUND_CHARS"]))
    return {"rows": rows, "max_size_messages": memory}


def deployment_name(database_url: str) -> str:
    """Return a short name for a deployment: its database and one Rasa server."""
    backend = database_url.split(":", 1)[0].split("+", 1)[0]
    return f"{backend}, 1 Rasa server"


def run_deployment(database_url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    """Start one stack on ``database_url`` (a fresh SQLite file if None) and measure it."""
    token = secrets.token_hex(16)
    if database_url is None:
        db = OUT / "bench.db"
        db.unlink(missing_ok=True)
        database_url = f"sqlite:///{db}"
    stack = start_stack(
        MODEL, free_port(), free_port(), OUT / "logs",
        {
            "BACKCARE_DATABASE_URL": database_url,
            "RASA_API_TOKEN": token,
            "BACKCARE_REST_TOKEN": REST_TOKEN,
            "BACKCARE_MAX_INBOUND_CHARS": "10000",
            "BACKCARE_RATE_LIMIT_MESSAGES": "1000000",
        },
    )  # fmt: skip
    name = deployment_name(database_url)
    pids = {part.name: part.process.pid for part in stack.parts.values() if part.process}
    sampler = MemorySampler(pids)
    try:
        sampler.start()
        measured = asyncio.run(measure(stack, token, args))
        memory = sampler.stop()
    finally:
        stack.stop()
    rows = [{"deployment": name, **row} for row in measured["rows"]]
    by_key = {(r["path"], r["concurrency"]): r for r in rows}
    ratios: dict[str, Any] = {}
    for c in LEVELS:
        rest, nlu = by_key[REST, c], by_key[PARSE, c]
        ratios[str(c)] = {
            "turn_over_floor_median": rest["median_ms"] / nlu["median_ms"],
            "turn_over_floor_median_rounds": ratio_spread(
                rest["round_median_ms"], nlu["round_median_ms"]
            ),
            "turn_over_floor_msgs_per_s": rest["msgs_per_s"] / nlu["msgs_per_s"],
            "turn_over_floor_msgs_per_s_rounds": ratio_spread(
                rest["round_msgs_per_s"], nlu["round_msgs_per_s"]
            ),
        }
    return {
        "name": name,
        "processes": memory,
        "max_size_messages": measured["max_size_messages"],
        "ratios": ratios,
        "rows": rows,
    }


def _reachable(url: str, default_port: int) -> bool:
    parsed = urllib.parse.urlsplit(url)
    try:
        address = (parsed.hostname or "127.0.0.1", parsed.port or default_port)
        with socket.create_connection(address, 2):
            return True
    except OSError:
        return False


def scaled_missing(args: argparse.Namespace) -> str | None:
    """Return why the scaled deployment cannot be measured here, or None if it can."""
    if shutil.which("haproxy") is None:
        return "no haproxy (make balancer-deps)"
    if not _reachable(args.scaled_postgres_url, 5432):
        return f"no PostgreSQL at {args.scaled_postgres_url}"
    if not _reachable(args.scaled_redis_url, 6379):
        return f"no Redis at {args.scaled_redis_url}"
    return None


async def measure_scaled(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    """Warm both servers up, then run full turns at 50 conversations through the balancer."""
    per_round = math.ceil(args.messages / args.rounds)
    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=SCALED_CONCURRENCY + 10)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        for url in stack.rasa_urls:
            warm = [Cursor(f"warm-scaled-{i}") for i in range(10)]
            await Client(session, url, "").level(warm, len(CONVERSATION), parse=False)
        client = Client(session, stack.public_url, "")
        cursors = [Cursor(f"scaled-{i}") for i in range(SCALED_CONCURRENCY)]
        latencies: list[list[float]] = []
        seconds: list[float] = []
        for round_index in range(args.rounds):
            lat, sec = await client.level(
                cursors, math.ceil(per_round / SCALED_CONCURRENCY), parse=False
            )
            latencies.append(lat)
            seconds.append(sec)
            print(f"  scaled round {round_index + 1} of {args.rounds} done", file=sys.stderr)
    return {"path": REST, "concurrency": SCALED_CONCURRENCY, **summarise(latencies, seconds)}


def run_scaled(args: argparse.Namespace) -> dict[str, Any] | None:
    """Measure two Rasa servers behind HAProxy on a fresh PostgreSQL database; None if unable."""
    missing = scaled_missing(args)
    if missing:
        print(f"scaled deployment skipped: {missing}", file=sys.stderr)
        return None
    name = "backcare_bench_" + secrets.token_hex(5)
    admin = sa.create_engine(args.scaled_postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database_url = make_url(args.scaled_postgres_url).set(database=name)
    try:
        stack = start_stack(
            MODEL, free_port(), free_port(), OUT / "logs-scaled",
            {
                "BACKCARE_DATABASE_URL": database_url.render_as_string(hide_password=False),
                "BACKCARE_LOCK_STORE_URL": args.scaled_redis_url,
                "BACKCARE_REST_TOKEN": REST_TOKEN,
                "BACKCARE_RATE_LIMIT_MESSAGES": "1000000",
            },
            servers=[(free_port(), free_port())],
            balancer_port=free_port(),
        )  # fmt: skip
        try:
            row = asyncio.run(measure_scaled(stack, args))
        finally:
            stack.stop()
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return {"deployment": f"postgresql, {SCALED}", **row}


def scaled_ratios(scaled: dict[str, Any], single: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Return the scaled row's throughput over the single process's floor and full turn."""
    by_key = {(r["path"], r["concurrency"]): r for r in single}
    floor, turn = by_key[PARSE, SCALED_CONCURRENCY], by_key[REST, SCALED_CONCURRENCY]
    return {
        "scaled_over_single_floor_msgs_per_s": scaled["msgs_per_s"] / floor["msgs_per_s"],
        "scaled_over_single_turn_msgs_per_s": scaled["msgs_per_s"] / turn["msgs_per_s"],
    }


def detector_cost() -> dict[str, float]:
    """Time the red-flag detector alone on the phrasing suite."""
    from bot.safety import RedFlagDetector
    from bot.safety.batches import detection_times

    detector = RedFlagDetector.from_catalogue()
    suite = yaml.safe_load((REPO_ROOT / "tests" / "safety" / "phrasings.yml").read_text())
    texts = [
        str(i["text"] if isinstance(i, dict) else i) for group in suite.values() for i in group
    ]
    timings = detection_times(detector.detect, texts)
    return {
        "messages": len(timings),
        "median_ms": statistics.median(timings),
        "p99_ms": percentile(timings, 99),
    }


def spread(values: Sequence[float], digits: int = 1) -> str:
    """Return ``low-high`` of ``values``."""
    return f"{min(values):.{digits}f}-{max(values):.{digits}f}"


def report(deployment: dict[str, Any]) -> None:
    """Print one deployment's table, ratios and memory."""
    print(f"\n{deployment['name']}")
    print(
        f"{'path':24} {'conc':>4} {'msgs':>5} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'msg/s':>7}  {'round medians':>15} {'round msg/s':>13}"
    )
    for row in deployment["rows"]:
        print(
            f"{row['path']:24} {row['concurrency']:4d} {row['messages']:5d} "
            f"{row['median_ms']:10.1f} {row['p95_ms']:8.1f} {row['p99_ms']:8.1f} "
            f"{row['msgs_per_s']:7.1f}  {spread(row['round_median_ms']):>15} "
            f"{spread(row['round_msgs_per_s']):>13}"
        )
        if row["path"] == LONG:
            print(
                f"  long conversation: turns 1-{row['window']} median {row['early_median_ms']:.1f} ms, "
                f"turns {row['turns'] - row['window'] + 1}-{row['turns']} median "
                f"{row['late_median_ms']:.1f} ms: {row['growth']:.2f}x"
            )
    for c, ratio in deployment["ratios"].items():
        print(
            f"full turn at {int(c):2d} conversations: median {ratio['turn_over_floor_median']:.2f}x "
            f"the NLU floor (rounds {spread(ratio['turn_over_floor_median_rounds'], 2)}), "
            f"throughput {ratio['turn_over_floor_msgs_per_s']:.2f}x the floor's "
            f"(rounds {spread(ratio['turn_over_floor_msgs_per_s_rounds'], 2)})"
        )
    for name, mem in deployment["processes"].items():
        print(
            f"memory of {name}: {mem['rss_start_mb']:.0f} MB at start, peak "
            f"{mem['rss_peak_mb']:.0f} MB, {mem['rss_end_mb']:.0f} MB at the end"
        )
    big = deployment["max_size_messages"]
    print(
        f"{big['messages']} messages of {big['characters']} characters: median "
        f"{big['median_ms']:.0f} ms (the Rasa server's peak above includes them)"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300, help="messages per row, at least")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per row")
    parser.add_argument("--long-turns", type=int, default=300, help="turns of the long conversation")
    parser.add_argument("--long-rounds", type=int, default=1, help="long conversations measured")
    parser.add_argument(
        "--database-url", action="append", default=[],
        help="measure a deployment on this database (repeatable; default a fresh SQLite file)",
    )  # fmt: skip
    parser.add_argument(
        "--scaled-postgres-url", default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL server for the scaled deployment (a fresh database is made there)",
    )
    parser.add_argument(
        "--scaled-redis-url", default="redis://127.0.0.1:6379/1",
        help="Redis for the scaled deployment's lock store",
    )
    parser.add_argument(
        "--no-scaled", action="store_true", help="leave out the scaled-out deployment"
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each deployment, print the tables and write the JSON."""
    args = parse_args(argv)
    if not MODEL.exists():
        print("no trained model: run `make train`", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results: dict[str, Any] = {
        "when": datetime.now(timezone.utc).isoformat(),
        "settings": {
            k: v
            for k, v in vars(args).items()
            if k not in ("out", "database_url", "scaled_postgres_url", "scaled_redis_url")
        },
        "deployments": [],
        "rows": [],
    }
    for url in args.database_url or [None]:
        deployment = run_deployment(url, args)
        results["deployments"].append({k: v for k, v in deployment.items() if k != "rows"})
        results["rows"].extend(deployment["rows"])
        report(deployment)
    scaled = None if args.no_scaled else run_scaled(args)
    if scaled is not None:
        single = results["deployments"][0]["name"]
        ratios = scaled_ratios(scaled, [r for r in results["rows"] if r["deployment"] == single])
        results["rows"].append(scaled)
        results["scaled"] = {"row": scaled, "ratios": ratios}
        print(
            f"\n{scaled['deployment']}: full turns at {SCALED_CONCURRENCY} conversations through "
            f"the balancer: median {scaled['median_ms']:.1f} ms, p95 {scaled['p95_ms']:.1f} ms, "
            f"{scaled['msgs_per_s']:.1f} msg/s (rounds {spread(scaled['round_msgs_per_s'])}): "
            f"{ratios['scaled_over_single_floor_msgs_per_s']:.2f}x the single process's NLU "
            f"floor, {ratios['scaled_over_single_turn_msgs_per_s']:.2f}x its full turn "
            f"({single}, same run)"
        )
    results["detector"] = detector_cost()
    det = results["detector"]
    print(
        f"red-flag detector: median {det['median_ms']:.3f} ms, p99 {det['p99_ms']:.3f} ms per message"
    )
    results["seconds"] = time.monotonic() - started
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (args.out / name).write_text(json.dumps(results, indent=2))
    print(f"took {results['seconds']:.0f} s; written to {args.out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
