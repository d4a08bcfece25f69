"""What the learned second opinion learns from: labelled messages and their variants.

:mod:`bot.safety.classifier` trains on these (see its docstring for the model)::

    positives, negatives = suite_texts()   # tests/safety/*.yml and training/*.yml
    red, everyday = nlu_texts()            # data/nlu/*.yml
    examples = label_examples(detector, flag_asks, positives, red, [*negatives, *everyday])
    examples += variants(examples, detector.catalogue)

Deterministic: sorted inputs, a fixed seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.safety.catalogue import REPO_ROOT
from bot.safety.entries import Catalogue
from bot.safety.model import Tier

if TYPE_CHECKING:
    from bot.safety.detector import RedFlagDetector

SUITE_DIR = REPO_ROOT / "tests" / "safety"
# Corpora written to train the second opinion: learned from, reported, never gated.
TRAINING_DIR = SUITE_DIR / "training"
NLU_DIR = REPO_ROOT / "data" / "nlu"
NONE_CLASS = "none"
OTHER_CLASS = "other"
SEED = 13
_SAFETY_INTENTS = re.compile(r"^(red_flag|ask_warning_signs|request_symptom_check)")
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_PUNCT = re.compile(r"[^\w\s']")
_WORD = re.compile(r"[a-z]{5,}")


@dataclass(frozen=True)
class Example:
    """One training message and its class (an ask id, ``other`` or ``none``)."""

    text: str
    label: str


def suite_files() -> list[Path]:
    """Return the labelled files the second opinion learns from, in a fixed order."""
    return [*sorted(SUITE_DIR.glob("*.yml")), *sorted(TRAINING_DIR.glob("*.yml"))]


def suite_texts(
    exclude: Iterable[Path] = (),
) -> tuple[list[tuple[str, Tier]], list[str]]:
    """Return (text, expected tier) positives and negative texts from the suite files."""
    skip = {p.resolve() for p in exclude}
    positives: list[tuple[str, Tier]] = []
    negatives: list[str] = []
    for path in suite_files():
        if path.resolve() in skip:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for group in ("emergency", "urgent", "soon"):
            for item in data.get(group) or []:
                positives.append((str(item["text"]), Tier(group)))
        for item in data.get("traps") or []:
            tier = Tier(str(item.get("tier", "none")))
            if tier is Tier.NONE:
                negatives.append(str(item["text"]))
            else:
                positives.append((str(item["text"]), tier))
        for item in data.get("benign") or []:
            negatives.append(str(item["text"] if isinstance(item, Mapping) else item))
        negatives.extend(_quiet_turns(data.get("conversations") or []))
    return positives, negatives


def _quiet_turns(conversations: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return the conversation turns that show no red flag on their own.

    Every turn of a benign conversation, and the turns of a risky one before the turn
    where the risk becomes clear ("I used to have sciatica in my left leg").
    """
    quiet: list[str] = []
    for conversation in conversations:
        turns = [str(turn) for turn in conversation.get("turns") or []]
        clear_at = conversation.get("clear_at")
        end = len(turns) if clear_at is None else int(clear_at) - 1
        quiet.extend(turns[: max(end, 0)])
    return quiet


def nlu_texts() -> tuple[list[str], list[str]]:
    """Return (red-flag intent examples, everyday intent examples) from ``data/nlu``."""
    red: list[str] = []
    everyday: list[str] = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            intent = str(item.get("intent") or "")
            if not intent:
                continue
            lines = [
                _ANNOTATION.sub(r"\1", line.strip()[2:])
                for line in str(item.get("examples", "")).splitlines()
                if line.strip().startswith("- ")
            ]
            if intent.startswith("red_flag"):
                red.extend(lines)
            elif not _SAFETY_INTENTS.match(intent):
                everyday.extend(lines)
    return red, everyday


def suite_categories(exclude: Iterable[Path] = ()) -> dict[str, str]:
    """Return each suite positive's ``category`` (the batch writer's label), by text."""
    skip = {p.resolve() for p in exclude}
    out: dict[str, str] = {}
    for path in suite_files():
        if path.resolve() in skip:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for group in ("emergency", "urgent", "soon", "traps"):
            for item in data.get(group) or []:
                if isinstance(item, Mapping) and item.get("category"):
                    out[str(item["text"])] = str(item["category"])
    return out


def ask_from_category(category: str, category_asks: Mapping[str, Sequence[str]]) -> str | None:
    """Return the ask whose keywords the category names first, or None.

    ``category_asks`` maps an ask id to word stems (``second_opinion.categories`` in the
    catalogue): "cauda equina - new incontinence" -> ``continence``.
    """
    lowered = category.lower()
    hits = [
        (match.start(), ask)
        for ask, stems in category_asks.items()
        for stem in stems
        if (match := re.search(rf"\b{re.escape(stem.lower())}", lowered)) is not None
    ]
    return min(hits)[1] if hits else None


def label_examples(
    detector: RedFlagDetector,
    flag_asks: Mapping[str, str],
    positives: Sequence[tuple[str, Tier]],
    red_examples: Sequence[str],
    negatives: Sequence[str],
    categories: Mapping[str, str] | None = None,
    category_asks: Mapping[str, Sequence[str]] | None = None,
) -> list[Example]:
    """Label positives with the ask of their top finding (frames), negatives with none.

    A positive the frames miss would otherwise be labelled ``other`` and teach the
    classifier to leave exactly such messages alone; when its batch category names an
    ask ("suicide - stockpiling means" -> ``crisis``), that ask is its label instead.
    """
    examples: list[Example] = []
    for text, tier in [*positives, *((t, Tier.SOON) for t in red_examples)]:
        assessment = detector.detect(text)
        top = next((f for f in assessment.findings if f.tier >= tier), None)
        if top is not None:
            label = flag_asks.get(top.id, OTHER_CLASS)
        elif assessment.ask is not None:
            label = assessment.ask
        else:
            named = ask_from_category((categories or {}).get(text, ""), category_asks or {})
            label = named or OTHER_CLASS
        examples.append(Example(text, label))
    examples.extend(Example(text, NONE_CLASS) for text in negatives)
    return examples


def variants(
    examples: Sequence[Example], catalogue: Catalogue, per_example: int = 4
) -> list[Example]:
    """Generate deterministic variants of the positive examples.

    Each variant swaps one concept term for another term of the same lexicon, or is the
    message in lower case without punctuation, or carries one typo (two letters of a
    long word swapped).
    """
    rng = random.Random(SEED)  # noqa: S311 - reproducible variants, not secrets
    lexicons = [
        sorted({t.lower() for t in concept.terms if "'" not in t and len(t) > 2})
        for name, concept in sorted(catalogue.concepts.items())
        if not name.endswith("__phrases") and len(concept.terms) >= 3
    ]
    index: dict[str, list[list[str]]] = {}
    for terms in lexicons:
        for term in terms:
            index.setdefault(term, []).append(terms)
    out: list[Example] = []
    for example in examples:
        if example.label == NONE_CLASS:
            continue
        lower = example.text.lower()
        words = re.findall(r"[\w'-]+", lower)
        grams = {" ".join(words[i : i + n]) for n in range(1, 5) for i in range(len(words))}
        present = sorted(grams & index.keys())
        made: set[str] = set()
        for _ in range(per_example * 3):
            if len(made) >= per_example:
                break
            kind = rng.random()
            if present and kind < 0.6:
                term = rng.choice(present)
                other = rng.choice(rng.choice(index[term]))
                text = re.sub(rf"\b{re.escape(term)}\b", other, lower, count=1)
            elif kind < 0.8:
                text = _PUNCT.sub(" ", lower)
            else:
                words = _WORD.findall(lower)
                if not words:
                    continue
                word = rng.choice(words)
                at = rng.randrange(1, len(word) - 1)
                typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
                text = lower.replace(word, typo, 1)
            if text != lower and text not in made:
                made.add(text)
                out.append(Example(text, example.label))
    return out
