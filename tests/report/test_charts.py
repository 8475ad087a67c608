"""The SVG charts: punctuation in the language of their words, figures that do not pile up."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from assess.report import charts

ZH_ROWS = [
    charts.Bar("人员", (1.0, 0.9, 0.25, 0.0, 0.0)),
    charts.Bar("技术", (0.5, 0.0, 0.0, 0, 0)),
]
SERIES_ZH = ["一级", "二级", "三级", "四级", "五级"]


def texts(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of each plain <text> of a chart."""
    return [
        (float(x), float(y), body)
        for x, y, body in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    ]


def desc(svg: str) -> str:
    return re.search(r"<desc[^>]*>(.*)</desc>", svg).group(1)


def test_chinese_charts_use_full_width_punctuation_and_english_ones_latin():
    zh = str(charts.bars(ZH_ROWS, SERIES_ZH, 1.0, "各要素得分", threshold=0.8))
    assert desc(zh).startswith("人员：一级 1.00、二级 0.90、三级 0.25")
    assert "；技术：" in desc(zh) and ": " not in desc(zh) and "; " not in desc(zh)
    en = str(
        charts.bars([charts.Bar("Personnel", (1.0, 0.5))], ["Level 1", "Level 2"], 1.0, "Scores")
    )
    assert desc(en) == "Personnel: Level 1 1.00, Level 2 0.50"

    # the one label written in the picture itself
    zh_target = str(charts.target_bar(0.42, {"2027": 0.5}, "二级及以上占比", "二级及以上"))
    assert "二级及以上：42%" in zh_target and "二级及以上: " not in zh_target
    assert "2027：50%" in desc(zh_target)
    en_target = str(charts.target_bar(0.42, {"2027": 0.5}, "Share", "Level 2 or above"))
    assert "Level 2 or above: 42%" in en_target

    matrix = str(
        charts.matrix(
            [
                charts.MatrixRow("1. 产品数字化研发设计", 1, True),
                charts.MatrixRow("2. 工艺", 0, False),
            ],
            ["基础级", "先进级"],
            "各场景达到的等级",
            "不适用",
            "尚未达到基础级",
        )
    )
    assert desc(matrix) == "1. 产品数字化研发设计：基础级；2. 工艺：不适用"
    distribution = str(charts.distribution(["基础级", "先进级"], [0.6, None], 0, "同行", "本企业"))
    assert desc(distribution) == "基础级 60%；先进级 —；本企业：基础级"
    trend = str(
        charts.trend(
            [("2026Q1", date(2026, 3, 31), 0.3)],
            [("2027年底", date(2027, 12, 31), 0.4)],
            {"2027": 0.5},
            "趋势",
            "按当前速度",
        )
    )
    assert desc(trend) == "2026Q1：30%；按当前速度：2027年底：40%"


def test_each_bars_figure_stands_beside_its_own_bar_in_one_column():
    """Figures written at the end of each bar piled up by the axis where bars are short or
    zero (0.00 0.00 0.00 under each other) and crossed the threshold line."""
    svg = str(charts.bars(ZH_ROWS, SERIES_ZH, 1.0, "各要素得分", threshold=0.8))
    figures = [(x, y) for x, y, text in texts(svg) if re.fullmatch(r"\d\.\d\d", text)]
    assert len(figures) == 10  # every value, zeros too
    assert len({x for x, _y in figures}) == 1  # one column
    bars = [
        (float(x) + float(w), float(y))
        for x, y, w in re.findall(
            r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="9"', svg
        )
    ]
    column = figures[0][0]
    assert all(column - 30 > end for end, _y in bars)  # right of the longest bar
    ys = sorted(y for _x, y in figures)
    assert all(b - a >= 10 for a, b in pairwise(ys))  # one line each


def test_the_radar_is_small_enough_to_read_on_a_phone():
    """A phone shows a chart at about 330 px: the radar's 12 px labels must not shrink below
    about 9 px there, so its picture is at most about 440 px wide (20 Chinese sub-domains)."""
    axes = [charts.Axis(name, 2.0) for name in ["组织战略", "人员技能", "数据", "产品服务"] * 5]
    svg = str(charts.radar(axes, 3.0, 5.0, "能力画像", "目标：三级", "当前得分", "不适用"))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert width <= 440
    assert 330 / width * 12 >= 9


def outside(svg: str) -> list[str]:
    """The texts of a chart that reach outside its picture (and are cut off)."""
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    found = []
    pattern = r'<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)" text-anchor="(\w+)"[^>]*>([^<]*)<'
    for x, y, size, anchor, text in re.findall(pattern, svg):
        x, y, size, extent = float(x), float(y), int(size), charts.text_width(text, int(size))
        left = {"start": x, "middle": x - extent / 2, "end": x - extent}[anchor]
        if left < 0 or left + extent > width or y - size < 0 or y > height:
            found.append(text)
    return found


def test_no_chart_label_reaches_outside_its_picture():
    trend = charts.trend(
        [
            ("2025-Q1", date(2025, 3, 31), 0.55),
            ("2026-Q3", date(2026, 9, 30), 0.7),
            ("当前", date(2026, 12, 6), 0.7),
        ],
        [("2027年底", date(2027, 12, 31), 0.86), ("2030年底", date(2030, 12, 31), 1.0)],
        {"2027": 0.5, "2030": 0.6},
        "二级及以上占比",
        "按当前速度",
    )
    assert outside(str(trend)) == []
    bars = charts.bars(ZH_ROWS, SERIES_ZH, 1.0, "各要素得分", threshold=0.8)
    assert outside(str(bars)) == []
    # five levels' keys side by side ran past the English chart's edge: they wrap now
    levels = [f"Maturity level {n}" for n in range(1, 6)]
    english = charts.bars([charts.Bar("Personnel", (1, 1, 0.75, 0, 0))], levels, 1.0, "Scores")
    assert outside(str(english)) == []
    assert all(f">{name}</text>" in str(english) for name in levels)
    target = charts.target_bar(1.0, {"2027": 0.5, "2030": 0.6}, "占比", "二级及以上")
    assert outside(str(target)) == []


def label_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """(text, left, top, right, bottom) of each text in a chart, its tspans' lines included."""
    boxes = []
    pattern = (
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)" text-anchor="(\w+)"[^>]*>(.*?)</text>'
    )
    for x, y, size, anchor, inner in re.findall(pattern, svg):
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", inner) or [inner]
        x, y, size = float(x), float(y), int(size)
        extent = max(charts.text_width(line, size) for line in lines)
        left = {"start": x, "middle": x - extent / 2, "end": x - extent}[anchor]
        boxes.append(
            (" ".join(lines), left, y - size, left + extent, y + (size + 2) * (len(lines) - 1) + 3)
        )
    return boxes


def test_no_two_radar_labels_overlap_in_either_language():
    """Two-line English labels near the bottom ("Equipment management", "Production
    operations") were written over each other."""
    from assess.questionnaire.versions import Versions

    for q in Versions.load(None, "machinery-smart-factory"):
        for lang in ("zh", "en"):
            axes = [charts.Axis(sub.name.get(lang), 2.0) for sub in q.sub_domains.values()]
            svg = str(charts.radar(axes, 3.0, 5.0, "profile", "target", "current", "n/a"))
            labels = [box for box in label_boxes(svg) if box[0] in {a.label for a in axes}]
            assert len(labels) == len(axes)
            crossing = [
                (a[0], b[0])
                for i, a in enumerate(labels)
                for b in labels[i + 1 :]
                if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            ]
            assert crossing == [], (q.version, lang)
            assert outside(svg) == [], (q.version, lang)


def test_the_trend_chart_is_drawn_to_time_and_its_labels_never_run_into_each_other():
    """Quarter ends, now (three weeks before the quarter's end) and the end of the next year:
    each point sits where its day is on the axis; in English "end of 2027" is left out rather
    than printed over "end of 2028" (the reviewer's "end of 2027end of 2030")."""
    svg = str(
        charts.trend(
            [
                ("2025-Q4", date(2025, 12, 31), 0.30),
                ("2026-Q2", date(2026, 6, 30), 0.32),
                ("now", date(2026, 12, 6), 0.34),
            ],
            [("end of 2027", date(2027, 12, 31), 0.40), ("end of 2028", date(2028, 1, 31), 0.41)],
            {"2027": 0.5},
            "Level 2 or above",
            "at the current pace",
        )
    )
    xs = sorted(float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg))
    days = [date(2025, 12, 31), date(2026, 6, 30), date(2026, 12, 6)]
    days += [date(2027, 12, 31), date(2028, 1, 31)]
    scale = [
        (b - a) / (d2 - d1).days
        for (a, b), (d1, d2) in zip(pairwise(xs), pairwise(days), strict=True)
    ]
    assert max(scale) / min(scale) < 1.005  # the same width per day everywhere (to 0.1 px)
    labels = [(x, text) for x, y, text in texts(svg) if y > 150]
    assert [t for _x, t in labels] == ["2025-Q4", "2026-Q2", "now", "end of 2028"]
    widths = [charts.text_width(t, 9) for _x, t in labels]
    for ((x1, _t1), (x2, _t2)), (w1, w2) in zip(pairwise(labels), pairwise(widths), strict=True):
        assert x1 + w1 / 2 <= x2 - w2 / 2
