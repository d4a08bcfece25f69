"""Run ``python -m bot.safety`` as a subprocess and check its JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_cli_writes_one_json_object_per_line() -> None:
    lines = [
        "cnt feel my bum",
        "my back hurts when I bend",
        "",
        "I have a fever",
        "😀 <b>hi</b>",
        "my legs feel funny",
        "I c\u0430n't feel my b\u200bum",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "bot.safety"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    out = proc.stdout.splitlines()
    assert len(out) == len(lines)
    results = [json.loads(line) for line in out]
    assert [r["text"] for r in results] == lines
    tiers = ["emergency", "none", "none", "urgent", "none", "none", "emergency"]
    assert [r["tier"] for r in results] == tiers
    assert [r["ask"] for r in results] == [None, None, None, None, None, "leg_weakness", None]
    assert results[0]["flags"][0]["id"] == "cauda_equina_saddle"
    for result in results:
        assert set(result) >= {"text", "tier", "flags", "ask"}
    assert "tensorflow" not in proc.stdout.lower()


def test_cli_does_not_import_rasa_or_tensorflow() -> None:
    code = (
        "import sys, runpy, io; sys.stdin = io.StringIO('hi\\n');"
        "sys.argv=['bot.safety'];"
        "runpy.run_module('bot.safety', run_name='__main__', alter_sys=True) if False else None;"
        "from bot.safety.__main__ import main; main();"
        "print('rasa' in sys.modules, bool(sys.modules.get('tensorflow')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert proc.stdout.strip().splitlines()[-1] == "False False"
