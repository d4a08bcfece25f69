"""The content loader, and the words of the pacing and flare-up conversations it loads."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from actions.common.content import SMS_LIMIT, ContentError, ContentFile
from actions.pacing.messages import get_pacing_content
from bot.settings import REPO_ROOT
from tests.readability import reading_grade

CONTENT = get_pacing_content()


def test_content_file_refuses_unknown_keys():
    with pytest.raises(ContentError, match="has no nope"):
        CONTENT.text("nope")
    with pytest.raises(ContentError, match="not a text"):
        CONTENT.text("ask")


def test_content_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(ContentError, match="cannot read"):
        ContentFile.load(tmp_path / "missing.yml", "missing")


CONTENT_FILES = ["pacing.yml", "flare_ups.yml"]
SAMPLE_VALUES = {
    "emergency_number": "999",
    "activity": "walking",
    "unit": "minutes",
    "amount": "14",
    "week": "2",
    "start": "12",
    "step": "2",
    "step_unit": "minutes",
    "example": "20 minutes",
    "goal_example": "30 minutes",
    "weeks": "26",
    "good": "20",
    "count": "2",
    "next": "15",
    "total": "8",
    "label": "Triggers",
    "answer": "poor sleep",
}


def filled(text: str) -> str:
    text = " ".join(text.split())
    for name, value in SAMPLE_VALUES.items():
        text = text.replace("{" + name + "}", value)
    return text


def sentences(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Return every patient-facing text of five words or more (not labels or payloads)."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("metadata", "payload"):
                found += sentences(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += sentences(value, f"{path}.{index}")
    elif isinstance(node, str) and len(node.split()) >= 5:
        found.append((path, filled(node)))
    return found


def load_content(name: str) -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "content" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_content_reads_at_grade_7_or_below(name):
    too_hard = {
        path: round(grade, 1)
        for path, text in sentences(load_content(name))
        if (grade := reading_grade(text)) > 7
    }
    assert too_hard == {}


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_sms_variants_fit_two_sms_parts(name):
    too_long = {
        path: len(text)
        for path, text in sentences(load_content(name))
        if (".sms" in path or path.endswith("sms")) and len(text) > SMS_LIMIT
    }
    assert too_long == {}


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_content_cites_its_sources_and_review(name):
    metadata = load_content(name)["metadata"]
    sources = " ".join(metadata["sources"])
    assert "NICE NG59" in sources
    assert "section" in sources
    assert metadata["review"]["status"]
    assert metadata["max_reading_grade"] == 7


def test_pacing_content_cites_nielson():
    assert "Nielson et al. 2013" in " ".join(load_content("pacing.yml")["metadata"]["sources"])


def _button_payloads(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [str(node["payload"])] if "payload" in node and "title" in node else []
        return found + [p for value in node.values() for p in _button_payloads(value)]
    if isinstance(node, list):
        return [p for value in node for p in _button_payloads(value)]
    return []


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_intent_buttons_send_intents_of_the_domain(name):
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    sent = {p[1:] for p in _button_payloads(load_content(name)) if p.startswith("/")}
    assert sent
    assert sent <= intents
