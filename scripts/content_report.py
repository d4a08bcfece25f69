"""List the content awaiting clinical review (``make content-report``).

Every file in ``content/``, ``content/topics/`` and ``content/exercises/`` carries a review
record: status, reviewer, registration, date and the sha256 of the text the reviewer signed
off, with an exercise's drawing (see :mod:`actions.common.review`).
An item counts as reviewed only while that hash matches its current text, so this
report lists drafts, incomplete records and items whose text changed after sign-off::

    python -m scripts.content_report                 # what awaits review
    python -m scripts.content_report --all           # every item and its state
    python -m scripts.content_report --hash topics/sleep   # the hash to record at sign-off
    python -m scripts.content_report --hash exercises/bridge   # an exercise: words and drawing
    python -m scripts.content_report --strict        # exit 1 if anything awaits review

To sign an item off, the reviewer reads it (and, for ``urgent_care`` and ``crisis``, the
domain responses they list), then fills in its ``review`` record: ``status: reviewed``,
``reviewer``, ``registration``, ``date`` and ``hash`` as printed by ``--hash``. Changing
a word afterwards turns the item back to "needs review" here, without failing a test.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from actions.common.review import CONTENT_DIR, STATUS_REVIEWED, ReviewState, review_states


def format_state(state: ReviewState) -> str:
    """Return one report line for an item."""
    review = state.review
    who = ""
    if review is not None and review.reviewer:
        who = f"{review.reviewer} ({review.registration or 'no registration'}) {review.date or ''}"
    elif review is not None and review.drafted:
        who = f"drafted {review.drafted}"
    detail = f"  [{state.problem}]" if state.problem else ""
    return f"  {state.item:<28} {state.state:<17} {who.strip()}{detail}"


def report(states: Sequence[ReviewState], *, show_all: bool) -> str:
    """Return the report text for ``states``."""
    waiting = [s for s in states if s.needs_review]
    shown = states if show_all else waiting
    lines = [
        f"Clinical review: {len(states) - len(waiting)} of {len(states)} content items "
        f"reviewed, {len(waiting)} awaiting review."
    ]
    if shown:
        lines.append("  item                         state             reviewer / drafted")
        lines.extend(format_state(state) for state in shown)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; with ``--hash ITEM`` print that item's current hash instead."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every item, reviewed or not")
    parser.add_argument("--hash", metavar="ITEM", help="print the hash of ITEM (topics/sleep)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any item awaits review")
    parser.add_argument("--content", type=Path, default=CONTENT_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    states = review_states(args.content)
    if args.hash:
        found = [s for s in states if s.item == args.hash.removesuffix(".yml")]
        if not found:
            print(f"no content item {args.hash!r}", file=sys.stderr)
            return 2
        print(found[0].current_hash)
        return 0
    print(report(states, show_all=args.all))
    if args.strict and any(s.state != STATUS_REVIEWED for s in states):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
