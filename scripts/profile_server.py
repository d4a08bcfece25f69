"""Profile the Rasa server under REST load with py-spy and print where a turn's time goes.

Usage::

    python -m scripts.profile_server --messages 300 --concurrency 1 --out var/profile
    python -m scripts.profile_server --messages 300 --one-conversation  # a long session

Starts the stack as ``make bench`` does (fresh SQLite database, rate limit lifted), warms
it up, then samples the Rasa server with ``py-spy record --format raw`` (on the PATH, in
the venv, or ``--py-spy PATH``; py-spy is a development tool, not in the lock file)
while it answers ``--messages`` REST messages, and prints:

- the stages of a turn (NLU, policies, tracker retrieve and save, action runs...), each
  as the share of the server's busy samples whose stack passes through it;
- the functions with the largest inclusive and self shares.

The raw stacks are kept as ``--out``/``profile.txt`` (py-spy's collapsed format, for
flame graph tools). Idle time (the event loop waiting) is not sampled.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.runtime.launch import free_port, start_stack
from bot.settings import REPO_ROOT
from scripts.bench import MODEL, REST_TOKEN, Client, Cursor

# Stages of a turn: a sample counts for a stage when a frame of its stack matches.
STAGES: dict[str, re.Pattern[str]] = {
    "NLU (parse_message)": re.compile(r"^parse_message \(.*processor\.py"),
    "policies (_predict_next_with_tracker)": re.compile(r"^_predict_next_with_tracker "),
    "tracker retrieve (get_tracker)": re.compile(r"^get_tracker \(.*processor\.py"),
    "tracker save (save_tracker)": re.compile(r"^save_tracker "),
    "action runs (_run_action)": re.compile(r"^_run_action \(.*processor\.py"),
    "  remote actions (RemoteAction.run)": re.compile(r"^run \(.*rasa/core/actions/action\.py:7"),
    "  tracker copies (DialogueStateTracker.copy)": re.compile(r"^copy \(.*trackers\.py"),
    "event deserialising (Event.from_parameters)": re.compile(r"^from_parameters \(.*events\.py"),
    "logging": re.compile(r"\((.*/)?logging/__init__\.py"),
    "deep copies (copy.deepcopy)": re.compile(r"^deepcopy \((.*/)?copy\.py"),
    "database commits (do_commit)": re.compile(r"^do_commit \("),
}
_LINE = re.compile(r":\d+\)$")
# Functions in more of the samples than this are the trunk, not a cost of their own.
TRUNK = 0.6


@dataclass(frozen=True)
class Profile:
    """Shares of the sampled time, in percent of all samples."""

    samples: int
    stages: dict[str, float]
    inclusive: list[tuple[str, float]]
    self_time: list[tuple[str, float]]


def function_of(frame: str) -> str:
    """Return a frame without its line number: ``name (path)``."""
    return _LINE.sub(")", frame)


def summarise_collapsed(lines: Iterable[str], top: int = 15) -> Profile:
    """Summarise py-spy's raw (collapsed) output: ``frame;frame;... count`` per line."""
    total = 0
    stages: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    for line in lines:
        stack, _, count_text = line.rstrip("\n").rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        for name, pattern in STAGES.items():
            if any(pattern.search(frame) for frame in frames):
                stages[name] += count
        for function in {function_of(frame) for frame in frames}:
            inclusive[function] += count
        self_time[function_of(frames[-1])] += count

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        # The trunk (the server's main loop and request handler) is in nearly every stack.
        kept = [(name, n) for name, n in counter.most_common() if n <= TRUNK * total]
        return [(name, 100 * n / total) for name, n in kept[:top]]

    return Profile(
        samples=total,
        stages={name: 100 * stages[name] / total if total else 0.0 for name in STAGES},
        inclusive=share(inclusive),
        self_time=share(self_time),
    )


def short(function: str) -> str:
    """Return ``name (package/module.py)`` without the site-packages prefix."""
    return re.sub(r"\(.*?(site-packages/|lib/python3\.\d+/|wt-[^/]+/)", "(", function)


def print_profile(profile: Profile) -> None:
    """Print the stages and the top functions."""
    print(f"{profile.samples} samples of the Rasa server while busy")
    print("stages of a turn (share of samples; stages overlap):")
    for name, value in profile.stages.items():
        print(f"  {value:5.1f}%  {name}")
    print("top functions, inclusive:")
    for name, value in profile.inclusive:
        print(f"  {value:5.1f}%  {short(name)}")
    print("top functions, self:")
    for name, value in profile.self_time:
        print(f"  {value:5.1f}%  {short(name)}")


def find_py_spy(given: str | None) -> str | None:
    """Return the py-spy executable to use, if any."""
    candidates = [given, shutil.which("py-spy"), str(Path(sys.executable).parent / "py-spy")]
    return next((c for c in candidates if c and Path(c).exists()), None)


async def load(
    base: str, token: str, messages: int, concurrency: int, warm: bool, one: bool = False
) -> float:
    """Send REST messages on ``concurrency`` patients (or one conversation); return seconds."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        client = Client(session, base, token)
        if one:
            _, seconds = await client.long_conversation(f"long-{secrets.token_hex(3)}", messages)
            return seconds
        prefix = "warm" if warm else "profile"
        cursors = [Cursor(f"{prefix}-{i}-{secrets.token_hex(2)}") for i in range(concurrency)]
        _, seconds = await client.level(cursors, max(1, messages // concurrency), parse=False)
        return seconds


def main(argv: Sequence[str] | None = None) -> int:
    """Start the stack, profile the Rasa server under load, and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--one-conversation", action="store_true", help="all messages in one conversation"
    )
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--py-spy", dest="py_spy", default=None)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "var" / "profile")
    args = parser.parse_args(argv)
    py_spy = find_py_spy(args.py_spy)
    if py_spy is None:
        print("py-spy not found: pip install py-spy, or give --py-spy PATH", file=sys.stderr)
        return 1
    if not MODEL.exists():
        print("no trained model: run `make train`", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / "profile.db"
    db.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    stack = start_stack(
        MODEL, free_port(), free_port(), args.out / "logs",
        {
            "BACKCARE_DATABASE_URL": f"sqlite:///{db}",
            "RASA_API_TOKEN": token,
            "BACKCARE_REST_TOKEN": REST_TOKEN,
            "BACKCARE_RATE_LIMIT_MESSAGES": "1000000",
        },
    )  # fmt: skip
    raw = args.out / "profile.txt"
    try:
        asyncio.run(load(stack.rasa_url, token, 60, 1, warm=True))
        pid = stack.parts["rasa"].process.pid  # type: ignore[union-attr]
        spy = subprocess.Popen(
            [py_spy, "record", "--pid", str(pid), "--format", "raw", "--rate", str(args.rate),
             "--output", str(raw), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(1.0)
        seconds = asyncio.run(
            load(
                stack.rasa_url, token, args.messages, args.concurrency, False, args.one_conversation
            )
        )
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
    finally:
        stack.stop()
    print(f"{args.messages} REST messages at {args.concurrency} conversations in {seconds:.1f} s")
    print_profile(summarise_collapsed(raw.read_text(encoding="utf-8").splitlines()))
    print(f"raw stacks: {raw}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
