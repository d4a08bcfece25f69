"""Run medspaCy's ConText (default rules) on mentions dumped by scripts/medspacy_compare.py.

Runs in a separate environment with medspaCy installed (it needs spaCy 3.7), e.g.::

    python3.10 -m venv /tmp/medspacy-venv && /tmp/medspacy-venv/bin/pip install medspacy
    /tmp/medspacy-venv/bin/python scripts/medspacy_context.py dump.json marks.json

Each message is rebuilt from the project's own tokens and sentence starts, so only the
context algorithm differs; each concept mention is a span in a span group that ConText
reads (``input_span_type="group"``).
"""

import json
import sys
from pathlib import Path

import spacy
from medspacy.context import ConText
from spacy.tokens import Doc, Span

GROUP = "mentions"


def main(dumped: str, out: str) -> int:
    nlp = spacy.blank("en")
    context = ConText(nlp, rules="default", input_span_type="group", span_group_name=GROUP)
    rows = json.loads(Path(dumped).read_text(encoding="utf-8"))
    marks = []
    for row in rows:
        doc = Doc(
            nlp.vocab, words=row["words"], spaces=row["spaces"], sent_starts=row["sent_starts"]
        )
        doc.spans[GROUP] = [Span(doc, s, e, label=c) for c, s, e in row["mentions"]]
        doc = context(doc)
        marks.append(
            [
                {
                    "negated": bool(span._.is_negated),
                    "family": bool(span._.is_family),
                    "historical": bool(span._.is_historical),
                    "hypothetical": bool(span._.is_hypothetical),
                }
                for span in doc.spans[GROUP]
            ]
        )
    Path(out).write_text(json.dumps(marks), encoding="utf-8")
    print(f"ConText marked {sum(len(m) for m in marks)} mentions in {len(marks)} messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
