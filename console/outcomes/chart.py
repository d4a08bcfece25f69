"""Charts drawn on the server as SVG: PEG over time with markers, exercise days per week.

No script and no library: each chart is laid out here (plain arithmetic on dataclasses,
testable without a browser) and written as SVG through Django's ``format_html``, so
every value in it is escaped. They read without colour: the PEG scores are circles on a
line with their values written above them, a flare-up is a triangle on a dashed line
and a red flag a diamond on a solid line, each with a text label, and a legend names
the shapes. The SVG has a title and a description for screen readers, and the page puts
a table of the same facts beside it::

    svg = peg_chart(
        [PegPoint(at, 6.3), PegPoint(later, 3.7)],
        [Marker(flare_day, FLARE_UP, "Flare-up"), Marker(alert_at, RED_FLAG, "Red flag: urgent")],
    )
    bars = adherence_chart([WeekBar(monday, 4, 7), WeekBar(next_monday, 2, 3)])

Times are UTC, as everywhere in the console.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Final

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from actions.checkin.peg import format_score

FLARE_UP: Final = "flare_up"
RED_FLAG: Final = "red_flag"
PEG_MAX: Final = 10
Y_TICKS: Final = (0, 2, 4, 6, 8, 10)
# Tick spacing candidates in days, smallest first: the first giving at most MAX_TICKS wins.
TICK_STEPS: Final = (1, 2, 7, 14, 28, 56, 91, 182, 365)
MAX_TICKS: Final = 7
# Above this many check-ins the values are not written over the points (the table has them).
MAX_VALUE_LABELS: Final = 16
LANES: Final = 3
# Rough width of one character of the 12px labels, to keep labels from overlapping.
CHAR_WIDTH: Final = 6.6

INK: Final = "#1f2a33"
MUTED: Final = "#5b6770"
GRID: Final = "#d5dce1"
PEG_COLOUR: Final = "#1d5c7a"
FLARE_COLOUR: Final = "#8a4b00"
RED_FLAG_COLOUR: Final = "#8a1c1c"


@dataclass(frozen=True)
class PegPoint:
    """One check-in: when, and its PEG score (0 to 10)."""

    at: datetime
    score: float
    label: str = ""

    @property
    def text(self) -> str:
        """Return the score as written on the chart ("6.3", "7")."""
        return self.label or format_score(float(self.score))


@dataclass(frozen=True)
class Marker:
    """An event marked on the time axis: a flare-up or a red flag, with its label."""

    at: datetime
    kind: str
    label: str


@dataclass(frozen=True)
class Box:
    """The plotting area inside the SVG."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int


@dataclass(frozen=True)
class PlacedPoint:
    """A check-in at its place on the chart."""

    point: PegPoint
    x: float
    y: float


@dataclass(frozen=True)
class PlacedMarker:
    """A marker at its place, with the lane (row) its label sits in."""

    marker: Marker
    x: float
    lane: int
    label_x: float
    anchor: str


@dataclass(frozen=True)
class Tick:
    """A labelled tick on an axis."""

    position: float
    label: str


@dataclass(frozen=True)
class PegLayout:
    """Everything :func:`peg_chart` draws, placed."""

    box: Box
    points: tuple[PlacedPoint, ...]
    markers: tuple[PlacedMarker, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    start: datetime
    end: datetime

    def lane_y(self, lane: int) -> float:
        """Return the baseline of a marker label in ``lane`` (0 is nearest the plot)."""
        return self.box.top - 12 - 14 * lane


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def day_label(day: date, with_year: bool) -> str:
    """Return a short date: "3 Nov", or "3 Nov 2026" when the chart spans years."""
    return f"{day.day} {day:%b %Y}" if with_year else f"{day.day} {day:%b}"


def time_range(moments: Sequence[datetime]) -> tuple[datetime, datetime]:
    """Return the chart's time axis: the moments' span with a little room at each end."""
    first, last = min(moments), max(moments)
    span = last - first
    pad = max(span * 0.05, timedelta(hours=12)) if span else timedelta(days=3)
    return first - pad, last + pad


def x_ticks(start: datetime, end: datetime, left: float, right: float) -> tuple[Tick, ...]:
    """Return date ticks at midnight UTC, at most :data:`MAX_TICKS` of them."""
    days = max((end - start).total_seconds() / 86400, 1)
    step = next((s for s in TICK_STEPS if days / s <= MAX_TICKS), TICK_STEPS[-1])
    first = (start + timedelta(days=1)).date()
    with_year = start.year != end.year
    ticks = []
    day = first
    while True:
        moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        if moment > end:
            break
        x = left + (moment - start) / (end - start) * (right - left)
        ticks.append(Tick(x, day_label(day, with_year)))
        day += timedelta(days=step)
    return tuple(ticks)


def _lanes(placed: list[tuple[Marker, float]], right: float) -> list[PlacedMarker]:
    """Give each marker label a lane so that labels in one lane do not overlap."""
    ends = [float("-inf")] * LANES
    result = []
    for index, (marker, x) in enumerate(placed):
        width = len(marker.label) * CHAR_WIDTH + 12
        anchor, label_x = ("start", x + 7) if x + width < right + 20 else ("end", x - 7)
        begin = label_x if anchor == "start" else label_x - width
        lane = next((n for n in range(LANES) if ends[n] < begin - 4), index % LANES)
        ends[lane] = begin + width
        result.append(PlacedMarker(marker, x, lane, label_x, anchor))
    return result


def peg_layout(
    points: Sequence[PegPoint], markers: Sequence[Marker], width: int = 760, height: int = 400
) -> PegLayout:
    """Place the check-ins and markers on a time axis and a 0-10 score axis.

    Raises:
        ValueError: there is nothing to draw (no check-in and no marker).
    """
    moments = [_utc(p.at) for p in points] + [_utc(m.at) for m in markers]
    if not moments:
        raise ValueError("nothing to chart")
    box = Box(width=width, height=height, left=64, right=width - 28, top=64, bottom=height - 92)
    start, end = time_range(moments)

    def x_of(moment: datetime) -> float:
        return box.left + (_utc(moment) - start) / (end - start) * (box.right - box.left)

    def y_of(score: float) -> float:
        clamped = min(max(score, 0.0), float(PEG_MAX))
        return box.bottom - clamped / PEG_MAX * (box.bottom - box.top)

    placed_points = tuple(
        PlacedPoint(p, x_of(p.at), y_of(p.score)) for p in sorted(points, key=lambda p: _utc(p.at))
    )
    ordered = sorted(markers, key=lambda m: _utc(m.at))
    placed_markers = tuple(_lanes([(m, x_of(m.at)) for m in ordered], box.right))
    return PegLayout(
        box=box,
        points=placed_points,
        markers=placed_markers,
        x_ticks=x_ticks(start, end, box.left, box.right),
        y_ticks=tuple(Tick(y_of(value), str(value)) for value in Y_TICKS),
        start=start,
        end=end,
    )


def _num(value: float) -> str:
    return f"{value:.1f}"


def triangle(x: float, y: float, size: float = 7) -> str:
    """Return the points of an upward triangle centred on (x, y)."""
    return " ".join(
        f"{_num(px)},{_num(py)}"
        for px, py in ((x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8))
    )


def diamond(x: float, y: float, size: float = 7) -> str:
    """Return the points of a diamond centred on (x, y)."""
    return " ".join(
        f"{_num(px)},{_num(py)}"
        for px, py in ((x, y - size), (x + size, y), (x, y + size), (x - size, y))
    )


def _marker_shape(kind: str, x: float, y: float, title: str) -> SafeString:
    if kind == RED_FLAG:
        return format_html(
            '<polygon class="marker-shape red-flag" points="{}" fill="{}" stroke="{}" '
            'stroke-width="1.5"><title>{}</title></polygon>',
            diamond(x, y),
            RED_FLAG_COLOUR,
            INK,
            title,
        )
    return format_html(
        '<polygon class="marker-shape flare-up" points="{}" fill="{}" stroke="{}" '
        'stroke-width="1.5"><title>{}</title></polygon>',
        triangle(x, y),
        FLARE_COLOUR,
        INK,
        title,
    )


def _when(moment: datetime) -> str:
    moment = _utc(moment)
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("\n", "{}", ((part,) for part in parts))


def describe(points: Sequence[PegPoint], markers: Sequence[Marker]) -> str:
    """Return the chart's description for screen readers: what it shows, in words."""
    ordered = sorted(points, key=lambda p: _utc(p.at))
    flare_ups = sum(1 for m in markers if m.kind == FLARE_UP)
    red_flags = sum(1 for m in markers if m.kind == RED_FLAG)
    if ordered:
        first, last = ordered[0], ordered[-1]
        scores = (
            f"{len(ordered)} check-in{'s' if len(ordered) != 1 else ''}, "
            f"from {first.text} on {_when(first.at)} to {last.text} on {_when(last.at)}"
        )
    else:
        scores = "no check-ins yet"
    return (
        f"PEG score (0 to 10, lower is better) over time: {scores}; "
        f"{flare_ups} flare-up{'s' if flare_ups != 1 else ''} and "
        f"{red_flags} red flag{'s' if red_flags != 1 else ''} marked. "
        "The table beside the chart lists the same."
    )


def peg_chart(
    points: Sequence[PegPoint], markers: Sequence[Marker], chart_id: str = "peg-chart"
) -> SafeString:
    """Return the PEG chart as an SVG element (see the module docstring)."""
    layout = peg_layout(points, markers)
    box = layout.box
    parts: list[SafeString] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart peg-chart" id="{}" '
            'viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
            'font-family="system-ui, sans-serif" font-size="12">',
            chart_id,
            box.width,
            box.height,
            chart_id,
            chart_id,
        ),
        format_html('<title id="{}-title">PEG score over time</title>', chart_id),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, describe(points, markers)),
    ]
    # The score axis: grid lines at each tick, labelled, and the axis title.
    for tick in layout.y_ticks:
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text class="y-tick" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                box.left,
                box.right,
                _num(tick.position),
                _num(tick.position),
                GRID,
                box.left - 8,
                _num(tick.position + 4),
                INK,
                tick.label,
            )
        )
    middle = (box.top + box.bottom) / 2
    parts.append(
        format_html(
            '<text class="axis-label y-label" x="{}" y="{}" text-anchor="middle" fill="{}" '
            'transform="rotate(-90 {} {})">PEG score (0 to 10, lower is better)</text>',
            18,
            _num(middle),
            INK,
            18,
            _num(middle),
        )
    )
    # The time axis.
    parts.append(
        format_html(
            '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/>'
            '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/>',
            box.left,
            box.right,
            box.bottom,
            box.bottom,
            INK,
            box.left,
            box.left,
            box.top,
            box.bottom,
            INK,
        )
    )
    for tick in layout.x_ticks:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text class="x-tick" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _num(tick.position),
                _num(tick.position),
                box.bottom,
                box.bottom + 5,
                INK,
                _num(tick.position),
                box.bottom + 20,
                INK,
                tick.label,
            )
        )
    parts.append(
        format_html(
            '<text class="axis-label x-label" x="{}" y="{}" text-anchor="middle" fill="{}">'
            "Date (UTC)</text>",
            _num((box.left + box.right) / 2),
            box.bottom + 40,
            INK,
        )
    )
    # Markers first, so that the scores are drawn over their lines.
    for placed in layout.markers:
        red = placed.marker.kind == RED_FLAG
        parts.append(
            format_html(
                '<g class="marker {}"><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="{}"{}/>{}'
                '<text class="marker-label" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text></g>',
                "red-flag" if red else "flare-up",
                _num(placed.x),
                _num(placed.x),
                box.top,
                box.bottom,
                RED_FLAG_COLOUR if red else FLARE_COLOUR,
                "2" if red else "1.5",
                "" if red else format_html(' stroke-dasharray="{}"', "6 4"),
                _marker_shape(
                    placed.marker.kind,
                    placed.x,
                    box.top,
                    f"{placed.marker.label}, {_when(placed.marker.at)}",
                ),
                _num(placed.label_x),
                _num(layout.lane_y(placed.lane)),
                placed.anchor,
                INK,
                placed.marker.label,
            )
        )
    if layout.points:
        parts.append(
            format_html(
                '<polyline class="peg-line" points="{}" fill="none" stroke="{}" '
                'stroke-width="2.5"/>',
                " ".join(f"{_num(p.x)},{_num(p.y)}" for p in layout.points),
                PEG_COLOUR,
            )
        )
    labelled = len(layout.points) <= MAX_VALUE_LABELS
    for placed_point in layout.points:
        point = placed_point.point
        parts.append(
            format_html(
                '<g class="peg-point"><circle cx="{}" cy="{}" r="5" fill="#ffffff" stroke="{}" '
                'stroke-width="2.5"><title>PEG {} on {}</title></circle>{}</g>',
                _num(placed_point.x),
                _num(placed_point.y),
                PEG_COLOUR,
                point.text,
                _when(point.at),
                format_html(
                    '<text class="peg-value" x="{}" y="{}" text-anchor="middle" fill="{}" '
                    'font-weight="600">{}</text>',
                    _num(placed_point.x),
                    _num(placed_point.y - 10),
                    INK,
                    point.text,
                )
                if labelled
                else "",
            )
        )
    if not layout.points:
        parts.append(
            format_html(
                '<text class="empty" x="{}" y="{}" text-anchor="middle" fill="{}">'
                "No check-ins yet</text>",
                _num((box.left + box.right) / 2),
                _num(middle),
                MUTED,
            )
        )
    parts.append(_legend(box))
    parts.append(SafeString("</svg>"))
    return _join(parts)


def _legend(box: Box) -> SafeString:
    """Return the legend: each shape with its line style and its name."""
    y = box.height - 16
    x = box.left
    return format_html(
        '<g class="legend">'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5"/>'
        '<circle cx="{}" cy="{}" r="5" fill="#ffffff" stroke="{}" stroke-width="2.5"/>'
        '<text x="{}" y="{}" fill="{}">PEG score (check-in)</text>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5" '
        'stroke-dasharray="6 4"/>{}<text x="{}" y="{}" fill="{}">Flare-up reported</text>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>{}'
        '<text x="{}" y="{}" fill="{}">Red-flag alert</text></g>',
        x,
        x + 28,
        y - 4,
        y - 4,
        PEG_COLOUR,
        x + 14,
        y - 4,
        PEG_COLOUR,
        x + 36,
        y,
        INK,
        x + 200,
        x + 228,
        y - 4,
        y - 4,
        FLARE_COLOUR,
        _marker_shape(FLARE_UP, x + 214, y - 4, "Flare-up"),
        x + 236,
        y,
        INK,
        x + 390,
        x + 418,
        y - 4,
        y - 4,
        RED_FLAG_COLOUR,
        _marker_shape(RED_FLAG, x + 404, y - 4, "Red-flag alert"),
        x + 426,
        y,
        INK,
    )


@dataclass(frozen=True)
class WeekBar:
    """One week of the exercise log: days with exercise, out of the days counted."""

    start: date
    days: int
    of: int


def adherence_chart(weeks: Sequence[WeekBar], chart_id: str = "exercise-chart") -> SafeString:
    """Return the exercise days per week as a bar chart, each bar labelled "n of 7"."""
    width, height = 760, 220
    left, right, top, bottom = 48, width - 16, 24, height - 48
    slot = (right - left) / max(len(weeks), 1)
    bar = min(slot * 0.6, 56)
    total = sum(week.days for week in weeks)
    counted = sum(week.of for week in weeks)
    parts: list[SafeString] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart exercise-chart" id="{}" '
            'viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
            'font-family="system-ui, sans-serif" font-size="12">'
            '<title id="{}-title">Days with exercise, per week</title>'
            '<desc id="{}-desc">{} weeks shown; exercise on {} of {} days. '
            "The table below lists each week.</desc>",
            chart_id,
            width,
            height,
            chart_id,
            chart_id,
            chart_id,
            chart_id,
            len(weeks),
            total,
            counted,
        )
    ]
    for days in range(0, 8, 7):
        y = bottom - days / 7 * (bottom - top)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                right,
                _num(y),
                _num(y),
                GRID if days else INK,
                left - 6,
                _num(y + 4),
                INK,
                days,
            )
        )
    with_year = bool(weeks) and weeks[0].start.year != weeks[-1].start.year
    for index, week in enumerate(weeks):
        centre = left + slot * (index + 0.5)
        bar_top = bottom - week.days / 7 * (bottom - top)
        parts.append(
            format_html(
                '<g class="week"><rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                'stroke="{}"><title>Week of {}: {} of {} days</title></rect>'
                '<text class="bar-value" x="{}" y="{}" text-anchor="middle" fill="{}">'
                "{} of {}</text>"
                '<text class="x-tick" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text></g>',
                _num(centre - bar / 2),
                _num(bar_top),
                _num(bar),
                _num(bottom - bar_top),
                PEG_COLOUR,
                INK,
                day_label(week.start, True),
                week.days,
                week.of,
                _num(centre),
                _num(bar_top - 6),
                INK,
                week.days,
                week.of,
                _num(centre),
                bottom + 18,
                INK,
                day_label(week.start, with_year),
            )
        )
    parts.append(
        format_html(
            '<text class="axis-label x-label" x="{}" y="{}" text-anchor="middle" fill="{}">'
            "Week starting (Monday, UTC)</text>",
            _num((left + right) / 2),
            height - 8,
            INK,
        )
    )
    parts.append(SafeString("</svg>"))
    return _join(parts)
