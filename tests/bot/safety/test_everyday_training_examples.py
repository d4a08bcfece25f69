"""The NLU training examples of everyday intents as a second, larger benign corpus.

Patients ask the same things the training data says ("am I harming myself by
exercising?", "does depression make pain worse?"); a red flag there would send an
education question to urgent care. A few examples sit on the line on purpose (pain
that is worse at night, "can barely walk today"): they are listed, and the rate must
stay low.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.safety import RedFlagDetector

REPO_ROOT = Path(__file__).resolve().parents[3]
# Intents whose examples describe warning signs on purpose.
SAFETY_INTENTS = re.compile(r"^(red_flag|ask_warning_signs|screen|request_symptom_check)")
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
# Known over-triggers, accepted because the message could be a warning sign.
ACCEPTED = {
    "im scared im harming myself when it hurts",
    "i toss and turn all night with my back",
    "can barely walk today my back is so bad",
}


def everyday_examples() -> list[tuple[str, str]]:
    examples = []
    for path in sorted((REPO_ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text()).get("nlu", []):
            intent = item.get("intent")
            if not intent or SAFETY_INTENTS.match(intent):
                continue
            for line in str(item["examples"]).splitlines():
                if line.strip().startswith("- "):
                    examples.append((intent, ANNOTATION.sub(r"\1", line.strip()[2:])))
    return examples


def test_the_corpus_is_large() -> None:
    assert len(everyday_examples()) >= 1000


def test_everyday_examples_do_not_escalate(detector: RedFlagDetector) -> None:
    flagged = {
        text: detector.detect(text).tier
        for _, text in everyday_examples()
        if detector.detect(text).tier != "none"
    }
    unexpected = {text: tier for text, tier in flagged.items() if text not in ACCEPTED}
    assert unexpected == {}
    assert len(flagged) <= len(ACCEPTED)
