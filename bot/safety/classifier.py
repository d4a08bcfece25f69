"""Learned second opinion: a red-flag classifier consulted when the frames find nothing.

The concept frames (:mod:`bot.safety.detector`) decide first. When they find no flag and
no clarifying question, this classifier reads the message as a whole, or only its
sentences without a negation, other person, hypothetical or resolved event the frames
read; below an emergency finding it reads the whole message for a confident higher tier. At or above
``second_opinion.threshold`` it proposes one clarifying question (an ``ask`` id such as
``crisis`` or ``continence``); at or above ``second_opinion.escalate_at`` it is confident
enough for the detector to escalate to the flag that ask would establish, as a YES
would. On messages it never trained on (the held-out set and the pending batches) the
escalation threshold was chosen where it raised no false alarm; the figures are in the
catalogue beside it (``scripts/eval_second_opinion.py`` recomputes them).

The model is a scikit-learn logistic regression on word (1-2) and character (2-5)
n-grams, trained on the project's own labelled messages:

* positives: the phrasing suite's emergency/urgent/soon messages and the blind and
  probe batches added to the suite (``tests/safety/*.yml``), plus the NLU examples of
  the red-flag intents, each labelled with the ask its top finding maps to (catalogue
  ``second_opinion.asks``: ``cauda_equina_bladder`` -> ``continence``...);
* negatives: benign and none-tier trap messages and the NLU examples of every other
  intent;
* generated variants of the positives: each concept term swapped for another term of
  the same concept lexicon ("bum" -> "backside"), lower case without punctuation, and
  one deterministic typo.

Training is deterministic (fixed seed, sorted inputs) and takes a few seconds. Build it
ahead with ``python -m bot.safety.classifier`` (writes ``var/safety/``); without a
current build, :func:`load_second_opinion` trains in memory. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from bot.safety.catalogue import REPO_ROOT
from bot.safety.entries import Catalogue
from bot.safety.examples import (
    NLU_DIR,
    NONE_CLASS,
    OTHER_CLASS,
    SEED,
    Example,
    label_examples,
    nlu_texts,
    suite_categories,
    suite_files,
    suite_texts,
    variants,
)
from bot.safety.model import Opinion
from bot.safety.normalise import clean_text

if TYPE_CHECKING:
    from bot.safety.detector import RedFlagDetector

logger = logging.getLogger(__name__)

BUILD_DIR = REPO_ROOT / "var" / "safety"


class SecondOpinion:
    """A trained classifier that proposes an ask id for a message."""

    def __init__(
        self,
        pipeline: Any,
        threshold: float,
        fingerprint: str,
        escalate_at: float | None = None,
    ):
        """Wrap a fitted scikit-learn pipeline.

        Args:
            pipeline: fitted ``Pipeline`` of vectorisers and the logistic regression.
            threshold: least probability of an ask class for it to be proposed.
            fingerprint: hash of the training data and settings it was built from.
            escalate_at: least probability for a confident reading (the detector
                escalates); None never escalates.
        """
        self.pipeline = pipeline
        self.threshold = threshold
        self.escalate_at = escalate_at
        self.fingerprint = fingerprint
        self.classes = [str(c) for c in pipeline.classes_]
        self._parts = self._fast_parts()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_parts", None)  # analyzers are rebuilt, not pickled
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._parts = self._fast_parts()

    def _fast_parts(self) -> list[tuple[Any, dict[str, int], Any, Any]]:
        """Split the model's weights by vectoriser for a fast one-message prediction.

        scikit-learn's ``predict_proba`` costs about 3 ms a call in validation and
        sparse-matrix set-up; the same arithmetic on one message's few n-grams takes a
        tenth of that. ``scores`` gives the same probabilities (checked by a test).
        """
        features = self.pipeline.named_steps["features"]
        model = self.pipeline.named_steps["model"]
        parts = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            size = len(vectorizer.vocabulary_)
            coef = model.coef_[:, offset : offset + size]
            parts.append(
                (vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, coef)
            )
            offset += size
        return parts

    def scores(self, text: str) -> dict[str, float]:
        """Return the probability of every class for ``text``."""
        import numpy as np

        prepared = _prepare(text)
        logits = np.array(self.pipeline.named_steps["model"].intercept_, dtype=float)
        for analyzer, vocabulary, idf, coef in self._parts:
            counts: dict[int, int] = {}
            for gram in analyzer(prepared):
                column = vocabulary.get(gram)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=int)
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=float))) * idf[columns]
            weights /= np.sqrt(np.dot(weights, weights))
            logits += coef[:, columns] @ weights
        logits -= logits.max()
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum()
        return {label: float(p) for label, p in zip(self.classes, probabilities, strict=True)}

    def ask(self, text: str) -> str | None:
        """Return the most likely ask id when it reaches the threshold, else None."""
        return self.opinion(text).ask

    def opinion(self, text: str) -> Opinion:
        """Return the proposed ask (None below the threshold) and whether it is confident."""
        scores = self.scores(text)
        label = max(scores, key=lambda k: scores[k])
        probability = scores[label]
        if label in (NONE_CLASS, OTHER_CLASS) or probability < self.threshold:
            return Opinion(None, False, probability)
        confident = self.escalate_at is not None and probability >= self.escalate_at
        return Opinion(label, confident, probability)


def _prepare(text: str) -> str:
    return clean_text(text).lower()


class Settings(NamedTuple):
    """The catalogue's ``second_opinion`` section."""

    threshold: float
    escalate_at: float | None
    asks: dict[str, str]
    categories: dict[str, tuple[str, ...]] = {}


def settings(catalogue: Catalogue, raw: Mapping[str, Any] | None = None) -> Settings:
    """Return the thresholds and the flag -> ask map from the catalogue YAML."""
    data = raw if raw is not None else _raw_catalogue()
    section = data.get("second_opinion") or {}
    asks = {str(k): str(v) for k, v in (section.get("asks") or {}).items()}
    known = {ask.id for ask in catalogue.asks}
    unknown = sorted(set(asks.values()) - known)
    if unknown:
        raise ValueError(f"second_opinion.asks names unknown asks {unknown}")
    threshold = float(section.get("threshold", 0.5))
    raw_escalate = section.get("escalate_at")
    escalate_at = None if raw_escalate is None else float(raw_escalate)
    ordered = escalate_at is None or threshold < escalate_at <= 1.0
    if not 0.0 < threshold < 1.0 or not ordered:
        raise ValueError("second_opinion: need 0 < threshold < escalate_at <= 1")
    categories = {
        str(ask): tuple(str(stem) for stem in stems or ())
        for ask, stems in (section.get("categories") or {}).items()
    }
    unknown = sorted(set(categories) - known)
    if unknown:
        raise ValueError(f"second_opinion.categories names unknown asks {unknown}")
    return Settings(threshold, escalate_at, asks, categories)


def _raw_catalogue(path: Path | None = None) -> Mapping[str, Any]:
    from bot.safety.catalogue import DEFAULT_CATALOGUE

    data = yaml.safe_load((path or DEFAULT_CATALOGUE).read_text(encoding="utf-8"))
    return data if isinstance(data, Mapping) else {}


# Bump when the features, model or data collection change.
MODEL_VERSION = 2


def source_files() -> list[Path]:
    """Return every file the training data is read from."""
    from bot.safety.catalogue import DEFAULT_CATALOGUE

    return [DEFAULT_CATALOGUE, *suite_files(), *sorted(NLU_DIR.glob("*.yml"))]


def fingerprint(files: Iterable[Path], exclude: Iterable[Path] = ()) -> str:
    """Return a short hash of the training sources, library and model versions."""
    import sklearn

    skip = {p.resolve() for p in exclude}
    digest = hashlib.sha256(f"{sklearn.__version__}|{MODEL_VERSION}".encode())
    for path in files:
        if path.resolve() in skip:
            continue
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def train(
    examples: Sequence[Example],
    threshold: float,
    fingerprint_: str,
    escalate_at: float | None = None,
) -> SecondOpinion:
    """Fit the n-gram logistic regression on ``examples`` (deterministic)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    ordered = sorted(examples, key=lambda e: (e.label, e.text))
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )
    model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000, random_state=SEED)
    pipeline = Pipeline([("features", features), ("model", model)])
    pipeline.fit([_prepare(e.text) for e in ordered], [e.label for e in ordered])
    return SecondOpinion(pipeline, threshold, fingerprint_, escalate_at)


def training_examples(
    detector: RedFlagDetector, exclude: Iterable[Path] = ()
) -> tuple[list[Example], Settings]:
    """Collect, label and expand the training examples; return them and the settings."""
    section = settings(detector.catalogue)
    positives, negatives = suite_texts(exclude)
    red, everyday = nlu_texts()
    base = label_examples(
        detector,
        section.asks,
        positives,
        red,
        [*negatives, *everyday],
        suite_categories(exclude),
        section.categories,
    )
    return [*base, *variants(base, detector.catalogue)], section


def build(detector: RedFlagDetector, exclude: Iterable[Path] = ()) -> SecondOpinion:
    """Train a second opinion for a frames-only ``detector`` (no cache)."""
    examples, section = training_examples(detector, exclude)
    return train(
        examples, section.threshold, fingerprint(source_files(), exclude), section.escalate_at
    )


def load_second_opinion(
    detector: RedFlagDetector, cache: Path | None = BUILD_DIR
) -> SecondOpinion | None:
    """Return the second opinion for ``detector``: the cached build if current, else trained.

    The cache (``var/safety/second_opinion.joblib``, written by this function or by
    ``python -m bot.safety.classifier``) is used only when its fingerprint matches the
    current training sources. Returns None when the catalogue has no ``second_opinion``
    section (the frames then work alone).
    """
    if not _raw_catalogue().get("second_opinion"):
        return None
    import joblib

    current = fingerprint(source_files())
    target = cache / "second_opinion.joblib" if cache else None
    if target is not None and target.exists():
        try:
            loaded = joblib.load(target)
            if isinstance(loaded, SecondOpinion) and loaded.fingerprint == current:
                return loaded
        except Exception:  # a stale or partial build is rebuilt below
            logger.warning("second opinion cache %s unreadable; retraining", target)
    examples, section = training_examples(detector)
    opinion = train(examples, section.threshold, current, section.escalate_at)
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write aside, then rename: another process never reads half a file.
            partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            joblib.dump(opinion, partial)
            os.replace(partial, target)
        except OSError:
            logger.warning("could not write the second opinion cache %s", target)
    return opinion


def main() -> int:
    """Build the second opinion into ``var/safety/`` and print its size."""
    from bot.safety.__main__ import _block_tensorflow

    _block_tensorflow()
    from bot.safety.detector import RedFlagDetector

    frames = RedFlagDetector.from_catalogue(second_opinion=None)
    opinion = load_second_opinion(frames)
    if opinion is None:
        print("no second_opinion section in the catalogue: nothing built")
        return 0
    print(f"second opinion {opinion.fingerprint}: classes {opinion.classes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
