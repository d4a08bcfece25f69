"""Build and load the local English spaCy pipeline used by Rasa and the safety detector.

spaCy models cannot be downloaded here, so the set-up builds a blank English pipeline
with a sentencizer and lookup lemmas (from ``spacy-lookups-data``) and saves it under a
git-ignored folder. Rasa's ``SpacyNLP`` loads it by path (see ``config.yml``)::

    python -m bot.runtime.nlp var/spacy/en_base
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "var" / "spacy" / "en_base"


def build_base_pipeline() -> Language:
    """Return a blank English pipeline with a sentencizer and lookup lemmatizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def load_base_pipeline(path: str | None = None) -> Language:
    """Load the saved base pipeline, building it in memory if it is not on disk."""
    target = Path(path) if path else DEFAULT_PATH
    if (target / "config.cfg").exists():
        return spacy.load(target)
    return build_base_pipeline()


def main(argv: list[str]) -> int:
    """Build the base pipeline and save it to the folder named in ``argv``."""
    target = Path(argv[0]) if argv else DEFAULT_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    build_base_pipeline().to_disk(target)
    print(f"saved spaCy base pipeline to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
