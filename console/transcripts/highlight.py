"""Show a patient's message with its red-flag evidence marked, never as HTML.

The text is cut at the evidence spans into segments; every segment is escaped on its
own and only the ``<mark>`` around evidence is markup the console writes, so a message
holding ``<script>`` or HTML is shown as the characters the patient typed::

    segments("numb <b>legs</b>", [(0, 4)])   # [("numb", True), (" <b>legs</b>", False)]
    highlighted("numb <b>legs</b>", [(0, 4)])
    # '<mark class="evidence">numb</mark> &lt;b&gt;legs&lt;/b&gt;'
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def merged_spans(length: int, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return ``spans`` kept inside a text of ``length``, sorted, overlaps joined."""
    kept = sorted(
        (max(0, start), min(length, end))
        for start, end in spans
        if min(length, end) > max(0, start)
    )
    merged: list[tuple[int, int]] = []
    for start, end in kept:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Return ``text`` cut into ``(part, is_evidence)`` segments, in order, none empty."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in merged_spans(len(text), spans):
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def highlighted(text: str, spans: Iterable[tuple[int, int]]) -> SafeString:
    """Return ``text`` escaped, with each evidence span inside ``<mark class="evidence">``."""
    html = "".join(
        format_html('<mark class="evidence">{}</mark>', part) if evidence else escape(part)
        for part, evidence in segments(text, spans)
    )
    # Every part was escaped above; the only markup is the console's own <mark>.
    return mark_safe(html)  # noqa: S308
