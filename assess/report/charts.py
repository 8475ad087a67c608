"""SVG charts made here, the same markup for the web pages and the PDF report.

Each chart has a <title> (the alt text) and a <desc> with the numbers, so that it reads
without the picture. Labels and numbers are escaped; nothing here fetches anything.
Sizes follow the labels (CJK characters are about twice as wide as Latin ones), so that long
English labels are not clipped.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
BLUE, ORANGE, GREY, LIGHT, INK = "#0b5cab", "#d9822b", "#6b7785", "#e4e9ef", "#1d2733"
ORANGE_TEXT = "#a15c00"  # ORANGE is 2.7:1 on the page; text needs 4.5:1 (WCAG AA): this is 4.8
LEVEL_COLOURS = ["#cfe0f3", "#8fb9e6", "#3f86cf", "#0b5cab", "#062f5c"]


def _cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)


@dataclass(frozen=True)
class Marks:
    """Punctuation in a chart's words: full-width in Chinese text (、 between items)."""

    colon: str
    items: str
    parts: str


def marks(*texts: str) -> Marks:
    """The punctuation of the language the texts are in (a Chinese label: Chinese marks)."""
    if any(_cjk(text) for text in texts):
        return Marks("：", "、", "；")
    return Marks(": ", ", ", "; ")


def text_width(text: str, size: float) -> float:
    """Approximate rendered width: CJK characters are square, others about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def _svg(width: float, height: float, title: str, desc: str, body: list[str], kind: str) -> Markup:
    uid = hashlib.sha1(f"{kind}|{title}|{desc}".encode(), usedforsecurity=False).hexdigest()[:10]
    w, h = round(width), round(height)
    # Every text in the markup went through escape() (_text, title, desc); the rest is numbers
    # formatted here and constant attribute values.
    return Markup(  # nosec B704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {w} {h}"'
        f' width="{w}" height="{h}" role="img" aria-labelledby="t{uid} d{uid}"'
        f' font-family="{FONT}">'
        f'<title id="t{uid}">{escape(title)}</title><desc id="d{uid}">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(
    x: float, y: float, text: str, size: int = 12, anchor: str = "start", fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def wrap(text: str, size: float, width: float) -> list[str]:
    """A label in lines no wider than `width` where it has spaces to break at (English); a
    label without spaces (Chinese) stays one line."""
    words, lines = text.split(" "), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if lines[-1] and text_width(candidate, size) > width:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def _lines(x: float, y: float, lines: list[str], size: int, anchor: str, fill: str) -> str:
    """Several lines of text, the first at y (one line: a plain text, cheaper to render)."""
    if len(lines) == 1:
        return _text(x, y, lines[0], size, anchor, fill)
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size + 2}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
        f"{spans}</text>"
    )


def _polygon(points: list[tuple[float, float]], **attributes: str) -> str:
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    extra = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f'<polygon points="{pts}" {extra}/>'


@dataclass(frozen=True)
class Axis:
    label: str
    value: float | None  # None: not applicable (drawn grey, said in the description)


def radar(
    axes: list[Axis],
    target: float | None,
    maximum: float,
    title: str,
    target_label: str,
    value_label: str,
    na_label: str,
) -> Markup:
    """A radar of scores 0..maximum per axis, with an optional target ring."""
    radius, n = 130.0, len(axes)  # small enough that its labels stay legible on a phone
    labels = [wrap(a.label, 12, 110) for a in axes]  # long English labels on two lines
    margin = max(text_width(line, 12) for lines in labels for line in lines) + 36
    width = 2 * (radius + margin)
    cx = width / 2
    placed = _radar_labels(labels, n, radius * 1.1, cx)
    top = min(label.top for label in placed)
    cy = max(radius + 40 + 14 * (max(len(lines) for lines in labels) - 1), 8 - top)
    height = max(cy + radius + 70, cy + max(label.bottom for label in placed) + 40)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, maximum)) / maximum
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = []
    for ring in range(1, int(maximum) + 1):
        body.append(_polygon([point(i, ring) for i in range(n)], fill="none", stroke=LIGHT))
        x, y = point(0, ring)
        body.append(_text(x + 4, y + 12, str(ring), 10, fill=GREY))  # inside: clear of labels
    for i, axis in enumerate(axes):
        x, y = point(i, maximum)
        body.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{LIGHT}"/>'
        )
        label = placed[i]
        fill = GREY if axis.value is None else INK
        body.append(_lines(label.x, cy + label.y, labels[i], 12, label.anchor, fill))
    if target is not None:
        ring = [point(i, target) for i in range(n)]
        body.append(
            _polygon(ring, fill="none", stroke=ORANGE, stroke_width="2", stroke_dasharray="6 4")
        )
    values = [point(i, a.value or 0) for i, a in enumerate(axes)]
    body.append(_polygon(values, fill=BLUE, fill_opacity="0.18", stroke=BLUE, stroke_width="2"))
    for i, axis in enumerate(axes):
        if axis.value is not None:
            x, y = point(i, axis.value)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BLUE}"/>')
    legend_y = height - 18
    body.append(
        f'<line x1="20" y1="{legend_y}" x2="44" y2="{legend_y}" stroke="{BLUE}" stroke-width="3"/>'
    )
    body.append(_text(50, legend_y + 4, value_label))
    if target is not None:
        x = 70 + text_width(value_label, 12)
        body.append(
            f'<line x1="{x:.1f}" y1="{legend_y}" x2="{x + 24:.1f}" y2="{legend_y}" stroke="{ORANGE}"'
            ' stroke-width="2" stroke-dasharray="6 4"/>'
        )
        body.append(_text(x + 30, legend_y + 4, target_label))
    mark = marks(title, *(a.label for a in axes))
    desc = mark.parts.join(
        f"{a.label} {na_label if a.value is None else f'{a.value:.2f}'}" for a in axes
    )
    if target is not None:
        desc += f"{mark.parts}{target_label} {target:.1f}"
    return _svg(width, height, title, desc, body, "radar")


@dataclass
class _Label:
    """A radar label: x, and its first baseline y relative to the centre; its box's top and
    bottom relative to the centre too."""

    x: float
    y: float
    anchor: str
    left: float
    right: float
    lines: int

    @property
    def top(self) -> float:
        return self.y - 12

    @property
    def bottom(self) -> float:
        return self.y + 14 * (self.lines - 1) + 4

    def overlaps(self, other: _Label) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def _radar_labels(labels: list[list[str]], n: int, reach: float, cx: float) -> list[_Label]:
    """Where each axis's label goes: just past the end of its axis, then moved up or down, away
    from the centre, until no two overlap (two-line English labels near the bottom ran into
    each other)."""
    placed = []
    for i, lines in enumerate(labels):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx, ly = cx + reach * math.cos(angle), reach * math.sin(angle)
        if abs(lx - cx) < 24:
            anchor = "middle"
            ly += -4 - 14 * (len(lines) - 1) if ly < 0 else 14
        else:
            anchor, ly = ("start" if lx > cx else "end"), ly + 4 - 7 * (len(lines) - 1)
            lx += 6 if lx > cx else -6
        extent = max(text_width(line, 12) for line in lines)
        left = {"start": lx, "middle": lx - extent / 2, "end": lx - extent}[anchor]
        placed.append(_Label(lx, ly, anchor, left, left + extent, len(lines)))
    for _ in range(4 * n):  # each round moves one label; a few rounds settle every side
        pairs = [(a, b) for a in placed for b in placed if a is not b and a.overlaps(b)]
        if not pairs:
            break
        a, b = pairs[0]
        outer = a if abs(a.y) > abs(b.y) or (a.y == b.y and a.x < b.x) else b
        inner = b if outer is a else a
        if outer.y >= 0:
            outer.y += inner.bottom - outer.top + 2
        else:
            outer.y -= outer.bottom - inner.top + 2
    return placed


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float, ...]  # one per series


def bars(
    rows: list[Bar], series: list[str], maximum: float, title: str, threshold: float | None = None
) -> Markup:
    """Horizontal grouped bars, one group per row, one bar per series (0..maximum)."""
    label_width = max(text_width(row.label, 12) for row in rows) + 16
    bar_width, bar_height, gap = 320, 11, 12
    per_row = bar_height * len(series) + gap
    legend = len(series) > 1
    width = label_width + bar_width + 50
    keys = _legend_rows(series, label_width, width) if legend else []
    height = 16 + per_row * len(rows) + (14 + 20 * len(keys) if legend else 8) + 16  # + scale
    body = []
    for i, row in enumerate(rows):
        top = 12 + i * per_row
        body.append(_text(label_width - 8, top + (per_row - gap) / 2 + 4, row.label, 12, "end"))
        for j, value in enumerate(row.values):
            y = top + j * bar_height
            w = bar_width * max(0.0, min(value, maximum)) / maximum
            colour = LEVEL_COLOURS[j % len(LEVEL_COLOURS)] if legend else BLUE
            body.append(
                f'<rect x="{label_width:.1f}" y="{y}" width="{w:.1f}" height="{bar_height - 2}" fill="{colour}"/>'
            )
            # a zero is written too: a missing bar must not read as a missing figure. The
            # figures stand in a column right of the scale, one beside each bar: written at the
            # end of each bar, short bars' figures stacked up by the axis and crossed the line
            body.append(
                _text(
                    label_width + bar_width + 40, y + bar_height - 3, f"{value:.2f}", 9, "end", GREY
                )
            )
    bottom = 12 + per_row * len(rows) - gap + 4
    for tick in (0, maximum / 2, maximum):  # the scale under the bars
        x = label_width + bar_width * tick / maximum
        body.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="{GREY}"/>'
        )
        body.append(_text(x, bottom + 14, f"{tick:g}", 9, "middle", GREY))
    body.append(
        f'<line x1="{label_width:.1f}" y1="{bottom}" x2="{label_width + bar_width:.1f}"'
        f' y2="{bottom}" stroke="{LIGHT}"/>'
    )
    if threshold is not None:
        x = label_width + bar_width * threshold / maximum
        body.append(
            f'<line x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{bottom}" stroke="{ORANGE}" stroke-dasharray="4 3"/>'
        )
    for row_number, keys_in_row in enumerate(keys):
        y = height - 20 * (len(keys) - row_number)
        for j, x in keys_in_row:
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{LEVEL_COLOURS[j % len(LEVEL_COLOURS)]}"/>'
            )
            body.append(_text(x + 14, y + 9, series[j], 11))
    mark = marks(title, *(row.label for row in rows))
    desc = mark.parts.join(
        f"{row.label}{mark.colon}"
        + mark.items.join(f"{s} {v:.2f}" for s, v in zip(series, row.values, strict=True))
        for row in rows
    )
    return _svg(width, height, title, desc, body, "bars")


def _legend_rows(series: list[str], left: float, width: float) -> list[list[tuple[int, float]]]:
    """The legend's keys as rows of (series index, x) that each fit in the chart's width: five
    levels side by side in English ran past its edge, cut off."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = left
    for j, name in enumerate(series):
        room = text_width(name, 11) + 14
        if rows[-1] and x + room > width - 4:
            rows.append([])
            x = left
        rows[-1].append((j, x))
        x += room + 16
    return rows


@dataclass(frozen=True)
class MatrixRow:
    label: str
    reached: int  # 0 .. number of columns
    applicable: bool


def matrix(
    rows: list[MatrixRow], columns: list[str], title: str, na_label: str, below_label: str
) -> Markup:
    """Scenarios x levels: the cells up to the level reached are filled."""
    label_width = max(text_width(row.label, 12) for row in rows) + 16
    cell_w = max(64, max(text_width(c, 12) for c in columns) + 16)
    cell_h = 26
    width = label_width + cell_w * len(columns) + 6
    height = 30 + cell_h * len(rows) + 4
    body = []
    for j, column in enumerate(columns):
        body.append(_text(label_width + j * cell_w + cell_w / 2, 18, column, 12, "middle"))
    for i, row in enumerate(rows):
        y = 26 + i * cell_h
        body.append(
            _text(label_width - 8, y + 17, row.label, 12, "end", INK if row.applicable else GREY)
        )
        if not row.applicable:  # one cell across the levels, saying so
            span = cell_w * len(columns)
            body.append(
                f'<rect x="{label_width + 2:.1f}" y="{y + 2}" width="{span - 4:.1f}"'
                f' height="{cell_h - 4}" fill="#f4f6f8" stroke="{LIGHT}"/>'
            )
            body.append(_text(label_width + span / 2, y + 17, na_label, 11, "middle", GREY))
            continue
        for j in range(len(columns)):
            filled = j < row.reached
            fill = LEVEL_COLOURS[min(j, len(LEVEL_COLOURS) - 1)] if filled else "#ffffff"
            body.append(
                f'<rect x="{label_width + j * cell_w + 2:.1f}" y="{y + 2}" width="{cell_w - 4:.1f}"'
                f' height="{cell_h - 4}" fill="{fill}" stroke="{LIGHT}"/>'
            )
    mark = marks(title, *(r.label for r in rows))
    desc = mark.parts.join(
        f"{r.label}{mark.colon}"
        + (na_label if not r.applicable else (columns[r.reached - 1] if r.reached else below_label))
        for r in rows
    )
    return _svg(width, height, title, desc, body, "matrix")


def distribution(
    labels: list[str],
    shares: list[float | None],
    highlight: int | None,
    title: str,
    highlight_label: str = "",
    hidden_label: str = "—",
) -> Markup:
    """Vertical bars of shares (0..1) per category; the highlighted one is where 'we' are.

    A share of None is hidden (small-cell suppression) and drawn as an empty bar.
    """
    bar_w, gap, plot_h = 70, 18, 120
    width = 40 + len(labels) * (bar_w + gap)
    height = plot_h + 78
    body = [
        f'<line x1="30" y1="{plot_h + 20}" x2="{width - 6}" y2="{plot_h + 20}" stroke="{LIGHT}"/>'
    ]
    for i, (label, share) in enumerate(zip(labels, shares, strict=True)):
        x = 36 + i * (bar_w + gap)
        h = plot_h * (share or 0)
        colour = ORANGE if i == highlight else LEVEL_COLOURS[1]
        text = hidden_label if share is None else f"{share:.0%}"
        body.append(
            f'<rect x="{x}" y="{plot_h + 20 - h:.1f}" width="{bar_w}" height="{h:.1f}" fill="{colour}"/>'
        )
        body.append(_text(x + bar_w / 2, plot_h + 14 - h, text, 11, "middle"))
        body.append(_text(x + bar_w / 2, plot_h + 38, label, 11, "middle"))
        if i == highlight:
            body.append(
                _text(x + bar_w / 2, plot_h + 56, f"▲ {highlight_label}", 11, "middle", ORANGE_TEXT)
            )
    mark = marks(title, *labels)
    desc = mark.parts.join(
        f"{label} {hidden_label if share is None else f'{share:.0%}'}"
        for label, share in zip(labels, shares, strict=True)
    )
    if highlight is not None:
        desc += f"{mark.parts}{highlight_label}{mark.colon}{labels[highlight]}"
    return _svg(width, height, title, desc, body, "distribution")


def target_bar(
    share: float | None, targets: dict[str, float], title: str, label: str, hidden_label: str = "—"
) -> Markup:
    """A share (0..1) as a bar against the plan's target marks (e.g. 50 % by 2027)."""
    left, bar_w = 10, 480
    shown = hidden_label if share is None else f"{share:.0%}"
    mark = marks(title, label)
    body = [f'<rect x="{left}" y="22" width="{bar_w}" height="18" fill="{LIGHT}"/>']
    if share is not None:
        body.append(
            f'<rect x="{left}" y="22" width="{bar_w * share:.1f}" height="18" fill="{BLUE}"/>'
        )
    body.append(_text(left, 14, f"{label}{mark.colon}{shown}", 12))
    # The plan's two marks sit 10 % (48 px) apart, less than a label is wide: the first label
    # ends left of its mark, the second starts right of it.
    anchors = [("end", -4), ("start", 4)] if len(targets) == 2 else [("middle", 0)] * len(targets)
    for (year, target), (anchor, dx) in zip(targets.items(), anchors, strict=True):
        x = left + bar_w * target
        body.append(
            f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="46" stroke="{ORANGE}" stroke-width="2"/>'
        )
        body.append(_text(x + dx, 60, f"{year} {target:.0%}", 11, anchor, ORANGE_TEXT))
    desc = f"{label} {shown}{mark.parts}" + mark.parts.join(
        f"{year}{mark.colon}{target:.0%}" for year, target in targets.items()
    )
    return _svg(520, 66, title, desc, body, "target")


def trend(
    points: list[tuple[str, date, float]],
    projected: list[tuple[str, date, float]],
    targets: dict[str, float],
    title: str,
    projected_label: str,
) -> Markup:
    """A share (0..1) over time: the points measured (label, day, share), then, dashed, where
    the current pace leads (label, day, share), against the plan's target levels. The x-axis is
    time (a year is as wide wherever it is); a label that would run into the one before it is
    left out (the description and the points still say it)."""
    # the last point's labels (a quarter, a share) are centred on it: room for them at the right
    left, top, width, height = 44, 14, 436, 130
    everything = points + projected
    ceiling = max(0.7, *(share for _label, _day, share in everything)) if everything else 0.7
    first = min((day for _label, day, _share in everything), default=None)
    last = max((day for _label, day, _share in everything), default=None)
    days = max(1, (last - first).days) if first and last else 1

    def xy(day: date | None, share: float) -> tuple[float, float]:
        x = left + (width * (day - first).days / days if day and first else 0)
        return x, top + height * (1 - share / ceiling)

    body = [
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="{LIGHT}"/>'
    ]
    for tick in (0.0, 0.25, 0.5):
        y = xy(None, tick)[1]
        body.append(_text(left - 6, y + 4, f"{tick:.0%}", 10, "end", GREY))
    for year, target in targets.items():
        y = xy(None, target)[1]
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="{ORANGE}"'
            ' stroke-width="1" stroke-dasharray="2 3"/>'
        )
        body.append(_text(left + width, y - 3, f"{year} {target:.0%}", 10, "end", ORANGE_TEXT))
    measured = [xy(day, share) for _label, day, share in points]
    if len(measured) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in measured)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    if measured and projected:
        ahead = [measured[-1]] + [xy(day, share) for _label, day, share in projected]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in ahead)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="1.5"'
            ' stroke-dasharray="5 4"/>'
        )
    # labels from the right (now and the projections matter most), each kept clear of the next
    free_until = math.inf
    labelled = []
    for i in reversed(range(len(everything))):
        label, day, share = everything[i]
        x, y = xy(day, share)
        half = text_width(label, 9) / 2
        if x + half + 6 <= free_until:
            labelled.append(_text(x, top + height + 14, label, 9, "middle", GREY))
            free_until = x - half
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BLUE}"/>')
        if i >= len(points) - 1:
            body.append(_text(x, max(y - 7, 11), f"{share:.0%}", 10, "middle", INK))
    body.extend(reversed(labelled))
    mark = marks(title, projected_label, *(label for label, _day, _share in everything))
    desc = mark.parts.join(f"{label}{mark.colon}{share:.0%}" for label, _day, share in points)
    if projected:
        desc += f"{mark.parts}{projected_label}{mark.colon}" + mark.parts.join(
            f"{label}{mark.colon}{share:.0%}" for label, _day, share in projected
        )
    return _svg(520, top + height + 22, title, desc, body, "trend")
