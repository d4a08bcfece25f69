"""Disguised and broken text: look-alike letters, format characters, surrogates, errors."""

from __future__ import annotations

import logging

import pytest

from bot.safety import RedFlagDetector, Tier
from bot.safety.normalise import clean_text

CYRILLIC_A = "\u0430"
GREEK_O = "\u03bf"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain ascii stays as it is", "plain ascii stays as it is"),
        (f"I c{CYRILLIC_A}n't feel my bum", "I can't feel my bum"),
        (f"my b{GREEK_O}ttom is numb", "my bottom is numb"),
        ("my b\u200bum is n\u200dumb\ufeff", "my bum is numb"),
        ("\uff4d\uff59 \uff4c\uff45\uff47\uff53", "my legs"),  # full-width letters
        ("soft\u00adhyphen", "softhyphen"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("\u0392\u039f\u03a4\u03a4\u039f\u039c", "BOTTOM"),  # every letter a Greek look-alike
        (
            "\u041f\u0440\u0438\u0432\u0435\u0442",
            "\u041f\u0440\u0438\u0432\u0435\u0442",
        ),  # real Russian
        ("caf\u00e9", "caf\u00e9"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        f"I c{CYRILLIC_A}n't feel my bum",
        "I can't feel my b\u200bum",
        "\uff49 \uff43\uff41\uff4e'\uff54 \uff46\uff45\uff45\uff4c \uff4d\uff59 \uff42\uff55\uff4d",
        "I can't feel my bum \ud83d",
        "I can\u2019t feel my bum",
    ],
)
def test_disguised_flags_are_found(detector: RedFlagDetector, text: str) -> None:
    result = detector.detect(text)
    assert result.tier is Tier.EMERGENCY, result.to_json()
    assert result.text == text


def test_an_internal_error_gives_a_logged_safe_reading(
    detector: RedFlagDetector, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = detector._detect
    calls: list[str] = []

    def flaky(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        if len(calls) == 1:
            raise UnicodeEncodeError("utf-8", text, 0, 1, "surrogates not allowed")
        return real(text)

    monkeypatch.setattr(detector, "_detect", flaky)
    with caplog.at_level(logging.ERROR, logger="bot.safety.detector"):
        result = detector.detect("I can't feel my bum \u00e9")
    assert result.tier is Tier.EMERGENCY
    assert result.degraded
    assert result.text == "I can't feel my bum \u00e9"
    assert "red-flag detection failed" in caplog.text
    assert "bum" not in caplog.text  # no patient words in logs


def test_a_persistent_error_still_returns_an_assessment(
    detector: RedFlagDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(detector, "_detect", broken)
    result = detector.detect("anything")
    assert result.tier is Tier.NONE and result.degraded and result.findings == ()
