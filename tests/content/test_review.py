"""The review-hash rule: a sign-off holds only while the text it signed is unchanged.

Every content item's review record holds the reviewer, their registration, the date and
the sha256 of the normalised text they reviewed. Changing the text turns the item back
to "needs review": the report lists it, and no test fails, so a real sign-off never
breaks the suite and a stale one is never mistaken for a current one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.common.content import CONTENT_DIR, ContentError
from actions.common.review import (
    normalise_text,
    parse_review,
    review_hash,
    review_state,
    review_states,
    reviewed_text,
)
from actions.education.topics import load_store
from scripts import content_report

DOMAIN = CONTENT_DIR.parent / "domain.yml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    shutil.copy(DOMAIN, tmp_path / "domain.yml")
    return root


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def sign_off(path: Path, root: Path) -> str:
    """Sign ``path`` off as a reviewer would: record the hash the report prints."""
    item = path.relative_to(root).with_suffix("").as_posix()
    assert content_report.main(["--content", str(root), "--hash", item]) == 0
    digest = review_state(path, root, yaml.safe_load(DOMAIN.read_text())["responses"])
    data = load(path)
    data["review"].update(
        status="reviewed",
        reviewer="A Physiotherapist",
        registration="HCPC PH000000",
        date="2026-12-01",
        hash=digest.current_hash,
    )
    save(path, data)
    return digest.current_hash


def state_of(root: Path, item: str) -> str:
    return {s.item: s.state for s in review_states(root)}[item]


@pytest.mark.parametrize(
    "item", ["topics/warning_signs", "topics/sciatica", "urgent_care", "crisis"]
)
def test_an_item_counts_as_reviewed_only_with_a_matching_hash(item: str) -> None:
    # No state is hard-coded, so a real sign-off passes; a record claiming "reviewed"
    # without the hash of today's text does not count.
    state = {s.item: s for s in review_states()}[item]
    reviewed = (
        state.review is not None
        and state.review.status == "reviewed"
        and state.review.hash == state.current_hash
    )
    assert state.needs_review is not reviewed
    assert (state.state == "reviewed") is reviewed


def test_every_content_file_has_a_readable_review_record() -> None:
    # The red-flag catalogue's record belongs to the detector's owners (no hash yet).
    problems = {
        s.item: s.problem or s.state
        for s in review_states()
        if s.review is None and s.item != "red_flags"
    }
    assert problems == {}


def test_a_sign_off_whose_hash_matches_counts_as_reviewed(content: Path) -> None:
    path = content / "topics" / "sleep.yml"
    sign_off(path, content)
    assert state_of(content, "topics/sleep") == "reviewed"
    topic = load_store(content).topic("sleep")
    assert not topic.needs_review
    assert topic.review.registration == "HCPC PH000000"


def test_changing_a_word_after_sign_off_turns_the_item_back_to_needs_review(
    content: Path,
) -> None:
    path = content / "topics" / "sleep.yml"
    sign_off(path, content)
    data = load(path)
    data["parts"][0] = data["parts"][0].replace("sleep", "rest", 1)
    save(path, data)
    assert state_of(content, "topics/sleep") == "text changed"
    # Not an error: the store still loads and the topic is flagged, not refused.
    assert load_store(content).topic("sleep").needs_review


def test_rewrapping_the_text_keeps_the_sign_off(content: Path) -> None:
    path = content / "topics" / "sleep.yml"
    sign_off(path, content)
    data = load(path)
    data["parts"][1] = "  " + data["parts"][1].replace(" ", "\n  ", 3) + " "
    save(path, data)
    assert state_of(content, "topics/sleep") == "reviewed"


def test_the_review_record_itself_is_not_part_of_the_hash() -> None:
    data = load(CONTENT_DIR / "topics" / "sleep.yml")
    other = {**data, "review": {**data["review"], "reviewer": "Someone"}}
    assert review_hash(data) == review_hash(other)
    assert "review." not in reviewed_text(data)


def test_changing_a_source_also_needs_review() -> None:
    data = load(CONTENT_DIR / "topics" / "sleep.yml")
    other = {**data, "sources": [*data["sources"], "A new paper"]}
    assert review_hash(data) != review_hash(other)


def test_a_record_of_domain_responses_is_tied_to_their_words_in_the_domain(
    content: Path,
) -> None:
    path = content / "urgent_care.yml"
    sign_off(path, content)
    assert state_of(content, "urgent_care") == "reviewed"
    domain_path = content.parent / "domain.yml"
    domain = load(domain_path)
    variant = domain["responses"]["utter_urgent_care_soon"][0]
    variant["text"] = variant["text"].replace("next few days", "next few weeks")
    save(domain_path, domain)
    assert state_of(content, "urgent_care") == "text changed"


def test_the_report_lists_what_awaits_review_and_can_gate_a_release(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off(content / "topics" / "sleep.yml", content)
    assert content_report.main(["--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "topics/warning_signs" in out and "topics/sleep " not in out
    assert content_report.main(["--content", str(content), "--all"]) == 0
    assert "A Physiotherapist (HCPC PH000000) 2026-12-01" in capsys.readouterr().out
    assert content_report.main(["--content", str(content), "--strict"]) == 1
    assert content_report.main(["--content", str(content), "--hash", "nothing"]) == 2


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"status": "approved"}, "review.status"),
        ({"status": "draft", "reviewer": None, "date": None, "hash": None}, "registration"),
        (
            {
                "status": "reviewed",
                "reviewer": "A Physio",
                "registration": None,
                "date": "2026-12-01",
                "hash": "ab" * 32,
            },
            "needs review.registration",
        ),
    ],
)
def test_malformed_records_are_caught_when_content_loads(record, error) -> None:
    with pytest.raises(ContentError, match=error):
        parse_review(record, "x.yml")


def test_normalisation_only_touches_white_space() -> None:
    assert normalise_text("  Hurt  is\n not\tharm ") == "Hurt is not harm"
    assert normalise_text("Cafe\u0301") == "Caf\u00e9"
    assert normalise_text("Hurt is not harm") != normalise_text("Hurt is harm")
