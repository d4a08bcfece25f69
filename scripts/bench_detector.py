"""Time the red-flag detector per message (frames + second opinion) on every suite message.

Usage: python -m scripts.bench_detector
Prints the median, 95th percentile and maximum of ``detect`` over all messages in
``tests/safety/*.yml`` (three passes after one warm-up), and of ``detect_conversation``
over each conversation's turns.
"""

from __future__ import annotations

import statistics
import sys

sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

import yaml  # noqa: E402

from bot.safety.batches import detection_times, timed_ms  # noqa: E402
from bot.safety.detector import RedFlagDetector  # noqa: E402
from bot.safety.report import SUITE_DIR  # noqa: E402


def main() -> int:
    detector = RedFlagDetector.from_catalogue()
    texts: list[str] = []
    conversations: list[list[str]] = []
    for path in sorted(SUITE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for group in ("emergency", "urgent", "soon", "traps", "benign"):
            for item in data.get(group) or []:
                texts.append(str(item["text"] if isinstance(item, dict) else item))
        conversations += [[str(t) for t in c["turns"]] for c in data.get("conversations") or []]
    times = detection_times(detector.detect, texts)
    turns = []
    for conv in conversations:
        for i in range(len(conv)):
            timed_ms(detector.detect_conversation, conv[: i + 1], turns)
    times.sort()
    turns.sort()
    print(
        f"detect: {len(texts)} messages x3, median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms"
    )
    print(
        f"detect_conversation: {len(turns)} turns, median {statistics.median(turns):.2f} ms, "
        f"p95 {turns[int(len(turns) * 0.95)]:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
