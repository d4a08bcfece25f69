r"""Command line: assess messages read one per line from stdin.

Writes one JSON object per input line to stdout (``Assessment.to_json``)::

    printf 'my legs are numb\nmy back hurts\n' | python -m bot.safety

Used by the lead's tooling and for quick checks by clinicians. Rasa is not imported.
spaCy's backend (thinc) would otherwise import TensorFlow just to probe for it, which
costs seconds and prints noise, so the CLI blocks that optional import first.
"""

from __future__ import annotations

import os
import sys


def _block_tensorflow() -> None:
    # thinc only probes for TensorFlow; a None entry makes the probe fail fast.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" not in sys.modules:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]


def main() -> int:
    """Read messages from stdin and write one JSON assessment per line."""
    _block_tensorflow()
    import json

    from bot.safety.detector import RedFlagDetector

    detector = RedFlagDetector.from_catalogue()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        out.write(json.dumps(detector.detect(text).to_json(), ensure_ascii=False) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
