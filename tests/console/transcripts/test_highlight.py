"""Evidence marking: segments in order, spans kept inside the text, every part escaped."""

from __future__ import annotations

import pytest

from console.transcripts.highlight import highlighted, merged_spans, segments


@pytest.mark.parametrize(
    ("length", "spans", "expected"),
    [
        (10, [(2, 4)], [(2, 4)]),
        (10, [(6, 8), (2, 4)], [(2, 4), (6, 8)]),
        (10, [(2, 5), (4, 7)], [(2, 7)]),
        (10, [(2, 4), (4, 6)], [(2, 6)]),
        (10, [(-3, 2), (8, 30)], [(0, 2), (8, 10)]),
        (10, [(5, 5), (7, 3), (12, 20)], []),
    ],
)
def test_spans_are_kept_inside_the_text_sorted_and_joined(length, spans, expected):
    assert merged_spans(length, spans) == expected


def test_segments_cover_the_whole_text_in_order():
    text = "my legs are numb and I wet myself"
    parts = segments(text, [(text.find("wet myself"), len(text)), (8, 16)])
    assert parts == [
        ("my legs ", False),
        ("are numb", True),
        (" and I ", False),
        ("wet myself", True),
    ]
    assert "".join(part for part, _ in parts) == text


def test_no_span_is_one_plain_segment_and_an_empty_text_none():
    assert segments("hello", []) == [("hello", False)]
    assert segments("", [(0, 3)]) == []


def test_markup_in_the_text_and_in_the_evidence_is_escaped():
    text = '<script>alert(1)</script> my <b>legs</b> went "numb" & weak'
    start = text.find("<b>legs</b>")
    html = highlighted(text, [(start, start + len("<b>legs</b> went"))])
    assert html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; my "
        '<mark class="evidence">&lt;b&gt;legs&lt;/b&gt; went</mark>'
        " &quot;numb&quot; &amp; weak"
    )
    assert "<script>" not in html and "<b>" not in html


def test_a_span_cutting_an_entity_cannot_make_markup():
    # "&lt;" must never be split into "&" + "lt;": escaping is per segment, of the raw text.
    text = "a<b"
    assert highlighted(text, [(1, 2)]) == 'a<mark class="evidence">&lt;</mark>b'
