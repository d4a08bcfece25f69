"""Benchmark the real servers through the REST channel (``make bench``).

Starts the action server and the Rasa server on free loopback ports with a throw-away
SQLite database, then measures per-message latency (median, p95, p99) and throughput at
1, 10 and 50 concurrent conversations through ``/webhooks/rest/webhook``, and in the
same run the bare NLU floor (``/model/parse``) and the red-flag detector's own cost per
message. Prints a table and writes it as JSON under ``var/bench/``. Every loop is
bounded; all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
import sys
import time
from datetime import datetime, timezone
from typing import Any

import aiohttp
import yaml

from bot.runtime.launch import free_port, start_stack
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
LEVELS = {1: 5, 10: 3, 50: 2}  # concurrency -> conversations per worker
REST_TOKEN = secrets.token_hex(16)
# The memory test: maximum-size messages from many conversations at once.
MAX_SIZE_MESSAGES = 200
MAX_SIZE_CONCURRENCY = 5


def rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def memory_under_max_size_messages(base: str, pid: int, size: int) -> dict[str, float]:
    """Send maximum-size messages and sample the Rasa server's memory as they go.

    Each conversation sends five (under the rate limit), so the NLU really reads them.
    """
    headers = {"Authorization": f"Bearer {REST_TOKEN}"}
    text = ("my back hurts and I would like some advice about pacing " * 400)[:size]
    samples = [rss_mb(pid)]
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(MAX_SIZE_MESSAGES):
        queue.put_nowait(n)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:

        async def worker() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                started = time.perf_counter()
                body = {"sender": f"memory-{n // 5}", "message": text}
                url = f"{base}/webhooks/rest/webhook"
                async with session.post(url, json=body, headers=headers) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
                if n % 10 == 0:
                    samples.append(rss_mb(pid))

        await asyncio.gather(*(worker() for _ in range(MAX_SIZE_CONCURRENCY)))
    samples.append(rss_mb(pid))
    warm = samples[len(samples) // 4 :]
    return {
        "messages": len(latencies),
        "characters": len(text),
        "rss_start_mb": samples[0],
        "rss_peak_mb": max(samples),
        "rss_end_mb": samples[-1],
        "growth_after_warmup_mb": warm[-1] - warm[0],
        "median_ms": statistics.median(latencies) * 1000,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    return {
        "messages": len(latencies),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "msgs_per_s": len(latencies) / seconds,
    }


async def run_level(
    base: str, token: str, concurrency: int, repeats: int, parse: bool
) -> dict[str, float]:
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {REST_TOKEN}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:

        async def worker(index: int) -> None:
            for repeat in range(repeats):
                sender = f"bench-{concurrency}-{index}-{repeat}-{secrets.token_hex(3)}"
                for text in CONVERSATION:
                    started = time.perf_counter()
                    if parse:
                        url = f"{base}/model/parse?token={token}"
                        async with session.post(url, json={"text": text}) as response:
                            await response.read()
                    else:
                        url = f"{base}/webhooks/rest/webhook"
                        async with session.post(
                            url, json={"sender": sender, "message": text}, headers=headers
                        ) as response:
                            await response.read()
                    latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return summary(latencies, time.perf_counter() - started)


def detector_cost() -> dict[str, float]:
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


def main() -> int:
    if not MODEL.exists():
        print("no trained model: run `make train`", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    db = OUT / "bench.db"
    db.unlink(missing_ok=True)
    stack = start_stack(
        MODEL, free_port(), free_port(), OUT / "logs",
        {
            "BACKCARE_DATABASE_URL": f"sqlite:///{db}",
            "RASA_API_TOKEN": token,
            "BACKCARE_REST_TOKEN": REST_TOKEN,
        },
    )  # fmt: skip
    results: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(), "rows": []}
    try:
        asyncio.run(run_level(stack.rasa_url, token, 1, 1, parse=False))  # warm-up
        asyncio.run(run_level(stack.rasa_url, token, 1, 1, parse=True))
        for concurrency, repeats in LEVELS.items():
            for parse in (True, False):
                row = asyncio.run(run_level(stack.rasa_url, token, concurrency, repeats, parse))
                row.update(
                    path="/model/parse" if parse else "REST conversation", concurrency=concurrency
                )
                results["rows"].append(row)
        size = int(stack.env.get("BACKCARE_MAX_INBOUND_CHARS", "10000"))
        rasa_pid = stack.parts["rasa"].process.pid  # type: ignore[union-attr]
        results["memory"] = asyncio.run(
            memory_under_max_size_messages(stack.rasa_url, rasa_pid, size)
        )
    finally:
        stack.stop()
    results["detector"] = detector_cost()
    print(
        f"{'path':20} {'conc':>4} {'msgs':>5} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>7}"
    )
    for row in results["rows"]:
        print(
            f"{row['path']:20} {row['concurrency']:4d} {row['messages']:5d} {row['median_ms']:10.1f} "
            f"{row['p95_ms']:8.1f} {row['p99_ms']:8.1f} {row['msgs_per_s']:7.1f}"
        )
    by_key = {(r["path"], r["concurrency"]): r for r in results["rows"]}
    for concurrency in LEVELS:
        rest = by_key[("REST conversation", concurrency)]
        nlu = by_key[("/model/parse", concurrency)]
        ratio = rest["median_ms"] / nlu["median_ms"]
        results.setdefault("ratios", {})[str(concurrency)] = ratio
        print(
            f"dialogue + actions overhead at {concurrency:2d} conversations: {ratio:.2f}x the NLU floor (median)"
        )
    mem = results["memory"]
    print(
        f"memory: {mem['messages']} messages of {mem['characters']} characters: Rasa server "
        f"{mem['rss_start_mb']:.0f} MB at start, peak {mem['rss_peak_mb']:.0f} MB, "
        f"{mem['rss_end_mb']:.0f} MB at the end ({mem['growth_after_warmup_mb']:+.0f} MB after "
        f"warm-up), median {mem['median_ms']:.0f} ms"
    )
    det = results["detector"]
    print(
        f"red-flag detector: median {det['median_ms']:.3f} ms, p99 {det['p99_ms']:.3f} ms per message"
    )
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (OUT / name).write_text(json.dumps(results, indent=2))
    print(f"written to {OUT / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
