"""PNG charts (Word draft, year and trend pages): Chinese text renders with the bundled font (no missing glyphs), sizes, titles, None cases."""
from __future__ import annotations

import warnings
from io import BytesIO

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from perfeval_lib.render import charts
from perfeval_lib.core.errors import InputError

MAX_PNG = 60_000
NAMES = ["财政局", "教育局", "卫生健康委员会", "公安局", "自然资源和规划局", "住房和城乡建设局", "交通运输局",
         "农业农村局", "文化广电旅游局", "市场监督管理局", "生态环境局", "民政局", "人力资源和社会保障局", "司法局"]


# ---------------------------------------------------------------------------------------------
# small hand-made inputs, one per chart

def lines_frame() -> pd.DataFrame:
    return pd.DataFrame({"label": ["基本支出·财政拨款", "项目支出·财政拨款", "项目支出·其他资金"],
                         "budget_final": [1200.0, 800.0, 50.0], "executed": [1180.0, 640.0, 0.0]})


def progress_frame() -> pd.DataFrame:
    return pd.DataFrame({"month": list(range(1, 13)),
                         "progress": [0.05, 0.12, 0.2, 0.28, 0.35, 0.45, 0.52, 0.6, 0.7, 0.78, 0.86, 0.97],
                         "target": [m / 12 for m in range(1, 13)]})


def level1_frame() -> pd.DataFrame:
    return pd.DataFrame({"level1": ["决策", "过程", "产出", "效益"], "weight": [20.0, 20.0, 30.0, 30.0],
                         "score": [18.0, 17.5, 27.0, np.nan], "claimed_score": [20.0, 19.0, 29.0, 28.0]})


def results_frame() -> pd.DataFrame:
    rows = []
    scores = {"D01": [91.0, 93.0, 95.0], "D02": [85.0, 88.0, 84.0], "D03": [72.0, 79.0, 81.0],
              "D04": [58.0, 66.0, 70.0], "D05": [88.0, 86.0, 90.0], "D06": [95.0, 91.0, np.nan]}
    claimed = {"D01": 96.0, "D02": 95.0, "D03": 80.0, "D04": 85.0, "D05": 89.0, "D06": 96.0}
    rates = {"D01": 0.98, "D02": 0.93, "D03": 0.86, "D04": 0.79, "D05": 0.95, "D06": 0.91}
    for i, code in enumerate(scores):
        for j, year in enumerate((2021, 2022, 2023)):
            score = scores[code][j]
            grade = None if np.isnan(score) else ("优" if score >= 90 else "良" if score >= 80
                                                  else "中" if score >= 60 else "差")
            rows.append({"unit_code": code, "unit_name": NAMES[i], "year": year, "execution_rate": rates[code],
                         "score": score, "claimed_score": claimed[code] - 2 * (2023 - year),
                         "grade": grade, "claimed_grade": "优" if claimed[code] >= 90 else "良"})
    return pd.DataFrame(rows)


def one_year_results() -> pd.DataFrame:
    return results_frame().query("year == 2023").reset_index(drop=True)


def findings_frame() -> pd.DataFrame:
    return pd.DataFrame({"code": ["bad_value"] * 4 + ["claim_gap"] * 3 + ["missing_month"] * 2 + ["note"],
                         "severity": ["error"] * 4 + ["warning"] * 3 + ["warning"] * 2 + ["info"]})


FINDING_LABELS = {"bad_value": "数值无效", "claim_gap": "自评得分偏高", "missing_month": "缺少月度数据"}

# name -> (function, input factory, keyword arguments, expected title, numeric / text columns to blank)
CASES = {
    "budget_vs_executed": (charts.budget_vs_executed, lines_frame, {}, "预算数与执行数（万元）",
                           ["budget_final", "executed"]),
    "spending_curve": (charts.spending_curve, progress_frame, {}, "月度累计支出进度", ["progress", "target"]),
    "score_by_level1": (charts.score_by_level1, level1_frame, {}, "各一级指标得分与分值",
                        ["weight", "score", "claimed_score"]),
    "grade_counts": (charts.grade_counts, results_frame, {}, "复核与自评等级分布", ["grade", "claimed_grade"]),
    "rate_vs_score": (charts.rate_vs_score, one_year_results, {}, "预算执行率与复核得分",
                      ["execution_rate", "score"]),
    "score_gaps": (charts.score_gaps, one_year_results, {"n": 4}, "自评与复核得分差异最大的单位",
                   ["score", "claimed_score"]),
    "findings_by_kind": (charts.findings_by_kind, findings_frame, {"labels": FINDING_LABELS}, "审核发现按类型统计",
                         ["code"]),
    "ranks_over_years": (charts.ranks_over_years, results_frame, {}, "各单位历年得分排名", ["score"]),
}


def all_text(fig: Figure) -> list[str]:
    """Every piece of text drawn on the figure (titles, tick labels, legends, annotations)."""
    return [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text()]


def render(fig: Figure) -> tuple[bytes, list[str]]:
    """Save as PNG, returning the bytes and every warning message raised while drawing."""
    buffer = BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buffer, format="png")
    return buffer.getvalue(), [str(w.message) for w in caught]


def glyph_problems(messages: list[str]) -> list[str]:
    return [m for m in messages if "Glyph" in m or "missing from" in m]


@pytest.fixture
def draw():
    """Call a chart function, and close whatever it returned after the test."""
    made = []

    def _draw(function, frame, **kwargs):
        fig = function(frame, **kwargs)
        made.append(fig)
        return fig

    yield _draw
    for fig in made:
        if fig is not None:
            plt.close(fig)


# ---------------------------------------------------------------------------------------------
# every chart

@pytest.mark.parametrize("name", CASES)
def test_chart_renders_chinese_without_missing_glyphs(name, draw, caplog):
    function, make, kwargs, title, _ = CASES[name]
    frame = make()
    before = frame.copy()
    with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
        fig = draw(function, frame, **kwargs)
        assert isinstance(fig, Figure)
        png, messages = render(fig)
    assert glyph_problems(messages) == []
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) <= MAX_PNG, f"{name}: {len(png)} bytes"
    assert title in all_text(fig)
    pd.testing.assert_frame_equal(frame, before)
    width, height = fig.get_size_inches()
    assert width == pytest.approx(7.0) and 3.0 <= height <= 4.0


@pytest.mark.parametrize("name", CASES)
def test_chart_is_none_for_empty_input(name):
    function, make, kwargs, _, _ = CASES[name]
    frame = make().iloc[0:0]
    before = frame.copy()
    assert function(frame, **kwargs) is None
    assert function(pd.DataFrame(columns=make().columns), **kwargs) is None
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", CASES)
def test_chart_is_none_for_all_missing_values(name):
    function, make, kwargs, _, blank = CASES[name]
    frame = make()
    frame = frame.assign(**{column: pd.Series([None] * len(frame), dtype="object") for column in blank})
    before = frame.copy()
    assert function(frame, **kwargs) is None
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", CASES)
def test_chart_names_the_missing_column(name):
    function, make, kwargs, _, blank = CASES[name]
    with pytest.raises(InputError, match=blank[0]):
        function(make().drop(columns=blank[0]), **kwargs)


@pytest.mark.parametrize("name", CASES)
def test_figure_png_is_small_png(name, draw):
    function, make, kwargs, _, _ = CASES[name]
    png = charts.figure_png(draw(function, make(), **kwargs))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) <= MAX_PNG


# ---------------------------------------------------------------------------------------------
# the glyph check is real

def test_glyph_check_fails_without_the_chinese_font():
    """With only DejaVu Sans, the same Chinese text DOES warn: the assertion above can fail."""
    charts.setup_fonts()
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        fig = Figure(figsize=(7, 3))
        fig.subplots().set_title("预算数与执行数（万元）")
        _, messages = render(fig)
    assert glyph_problems(messages), messages


def test_glyph_check_fails_for_a_chart_drawn_with_dejavu(draw):
    fig = draw(charts.budget_vs_executed, lines_frame())
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        _, messages = render(fig)
    assert glyph_problems(messages)
    _, messages = render(fig)            # the report style is back: no problem
    assert glyph_problems(messages) == []


# ---------------------------------------------------------------------------------------------
# setup_fonts and figure_png

def test_setup_fonts_registers_the_bundled_font_once():
    assert charts.setup_fonts() == "Noto Sans SC"
    entries = [f for f in font_manager.fontManager.ttflist if f.name == "Noto Sans SC"]
    assert entries and all("pylopdf_fonts_zh_cn" in f.fname for f in entries)
    snapshot = dict(mpl.rcParams)
    assert charts.setup_fonts() == "Noto Sans SC"
    assert len([f for f in font_manager.fontManager.ttflist if f.name == "Noto Sans SC"]) == len(entries)
    assert dict(mpl.rcParams) == snapshot
    assert mpl.rcParams["font.family"] == ["sans-serif"]
    assert mpl.rcParams["font.sans-serif"] == ["Noto Sans SC", "DejaVu Sans"]
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert mpl.rcParams["figure.dpi"] == 100 and mpl.rcParams["savefig.dpi"] == 100
    assert not mpl.rcParams["axes.spines.top"] and not mpl.rcParams["axes.spines.right"]
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert path.endswith("NotoSansSC-Regular.otf")


def test_setup_fonts_restores_the_fonts_after_a_reset():
    with mpl.rc_context():
        mpl.rcdefaults()
        assert mpl.rcParams["font.sans-serif"][0] != "Noto Sans SC"
        charts.setup_fonts()
        assert mpl.rcParams["font.sans-serif"] == ["Noto Sans SC", "DejaVu Sans"]
        assert mpl.rcParams["axes.spines.top"] is False


def test_setup_fonts_keeps_other_user_settings():
    charts.setup_fonts()
    with mpl.rc_context({"axes.titlesize": 20.0}):
        charts.setup_fonts()
        assert mpl.rcParams["axes.titlesize"] == 20.0


def test_figure_png_closes_a_pyplot_figure():
    fig, ax = plt.subplots()
    ax.set_title("测试")
    number = fig.number
    png = charts.figure_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(number)


def test_charts_are_not_registered_with_pyplot(draw):
    open_before = plt.get_fignums()
    draw(charts.spending_curve, progress_frame())
    assert plt.get_fignums() == open_before


def test_figure_png_is_700_pixels_wide(draw):
    from PIL import Image
    png = charts.figure_png(draw(charts.grade_counts, results_frame()))
    with Image.open(BytesIO(png)) as image:
        assert image.size[0] == 700 and 300 <= image.size[1] <= 400


def test_worst_case_inputs_stay_under_the_size_budget(draw):
    rng = np.random.default_rng(7)
    years = list(range(2009, 2024))                       # 15 years × 14 units, random ranks
    many = pd.DataFrame({"unit_code": [f"D{i:02d}" for i in range(14)] * len(years),
                         "unit_name": NAMES * len(years), "year": np.repeat(years, 14),
                         "score": rng.uniform(50, 99, 14 * len(years))})
    fig = draw(charts.ranks_over_years, many)
    assert len(fig.axes[0].get_lines()) == 12
    assert fig.axes[0].get_xticks().tolist() == years[-10:]
    assert "最近 10 年" in fig.axes[0].get_xlabel() and "另有 2 个" in fig.axes[0].get_xlabel()
    assert len(charts.figure_png(fig)) <= MAX_PNG

    lines = pd.DataFrame({"label": [f"项目支出·专项{i}（{NAMES[i % 14]}）" for i in range(20)],
                          "budget_final": rng.uniform(10, 900, 20), "executed": rng.uniform(10, 900, 20)})
    fig = draw(charts.budget_vs_executed, lines)
    assert len(fig.axes[0].get_yticklabels()) == 15 and "另有 5 项" in fig.axes[0].get_xlabel()
    assert len(charts.figure_png(fig)) <= MAX_PNG

    findings = pd.DataFrame({"code": [f"rule_{i % 20}" for i in range(200)],
                             "severity": ["error", "warning", "info", "warning"] * 50})
    fig = draw(charts.findings_by_kind, findings)
    assert len(charts.figure_png(fig)) <= MAX_PNG


# ---------------------------------------------------------------------------------------------
# what each chart shows

def test_budget_vs_executed_prints_the_rate(draw):
    fig = draw(charts.budget_vs_executed, lines_frame())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["98.3%", "80.0%", "0.0%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == lines_frame()["label"].tolist()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["全年预算数", "执行数"]


def test_budget_vs_executed_adds_up_repeated_labels_and_marks_a_zero_budget(draw):
    frame = pd.DataFrame({"label": ["基本支出", "基本支出", "项目支出"], "budget_final": [60.0, 40.0, 0.0],
                          "executed": [50.0, 40.0, 5.0]})
    ax = draw(charts.budget_vs_executed, frame).axes[0]
    assert [t.get_text() for t in ax.texts] == ["90.0%", "—"]


def test_spending_curve_axes(draw):
    ax = draw(charts.spending_curve, progress_frame()).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{m}月" for m in range(1, 13)]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "100%" in labels and all(label.endswith("%") for label in labels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["累计支出进度", "序时进度"]
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert ax.get_lines()[0].get_ydata()[-1] == pytest.approx(0.97)


def test_spending_curve_sorts_months_and_rejects_repeated_months(draw):
    shuffled = progress_frame().sample(frac=1.0, random_state=1)
    ax = draw(charts.spending_curve, shuffled).axes[0]
    assert ax.get_lines()[0].get_xdata().tolist() == list(range(1, 13))
    with pytest.raises(InputError, match="月份重复"):
        charts.spending_curve(pd.concat([progress_frame(), progress_frame()]))


def test_score_by_level1_skips_missing_scores(draw):
    ax = draw(charts.score_by_level1, level1_frame()).axes[0]
    weight, score, claimed = ax.containers
    assert len(weight) == 4 and len(score) == 3 and len(claimed) == 4
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["分值", "复核得分", "自评得分"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["决策", "过程", "产出", "效益"]


def test_score_by_level1_adds_up_indicator_rows(draw):
    rows = pd.DataFrame({"level1": ["决策", "决策", "过程"], "weight": [10.0, 10.0, 20.0],
                         "score": [8.0, 9.5, 17.0], "claimed_score": [10.0, 10.0, 20.0]})
    ax = draw(charts.score_by_level1, rows).axes[0]
    assert [bar.get_height() for bar in ax.containers[1]] == [17.5, 17.0]


def test_grade_counts_order_and_counts(draw):
    frame = pd.DataFrame({"grade": ["良", "优", "良", None, "差"], "claimed_grade": ["优", "优", "良", "良", None]})
    ax = draw(charts.grade_counts, frame).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["优", "良", "中", "差", "无复核", "无自评"]
    recomputed, claimed = ax.containers
    assert [bar.get_height() for bar in recomputed] == [1, 2, 0, 1, 1, 0]
    assert [bar.get_height() for bar in claimed] == [2, 2, 0, 0, 0, 1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["复核", "自评"]


def test_rate_vs_score_numbers_points_and_marks_lines(draw):
    frame = pd.DataFrame({"unit_name": NAMES[:8], "execution_rate": np.linspace(0.8, 1.0, 8),
                          "score": [95.0, 62.0, 88.0, 71.0, 93.0, 55.0, 80.5, 79.0]})
    bands = ((85.0, "A"), (70.0, "B"), (50.0, "C"), (0.0, "D"))  # a ruleset's own bands, not the usual 90/80/60
    fig = draw(charts.rate_vs_score, frame, bands=bands)
    ax = fig.axes[0]
    numbers = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
    assert numbers == [str(i) for i in range(1, 9)] == fig.labelled      # spread out: every point numbered
    vertical = [line for line in ax.get_lines() if line.get_xdata()[0] == line.get_xdata()[1] == 0.9]
    assert vertical and vertical[0].get_linestyle() == "--"
    horizontal = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_ydata()[0] == line.get_ydata()[1])
    assert horizontal == [50, 70, 85]
    assert {"A ≥85", "B ≥70", "C ≥50"} <= {t.get_text() for t in ax.texts}
    assert all(t.get_text().endswith("%") for t in ax.get_xticklabels())


def test_rate_vs_score_uses_the_label_column(draw):
    frame = pd.DataFrame({"unit_name": NAMES[:2], "execution_rate": [0.9, 1.0], "score": [80.0, 95.0],
                          "label": ["7", "12"]})
    assert draw(charts.rate_vs_score, frame).labelled == ["7", "12"]


def _boxes(ax):
    return [t.get_window_extent() for t in ax.texts if t.get_text().rstrip("*").isdigit()]


@pytest.mark.parametrize("n, seed", [(24, 1), (60, 2), (40, 3)])
def test_rate_vs_score_labels_never_overlap_even_when_points_crowd(draw, n, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"unit_name": [f"单位{i}" for i in range(n)],
                          "execution_rate": np.round(rng.uniform(0.93, 1.0, n), 3),
                          "score": np.round(rng.uniform(94.0, 100.0, n), 1)})
    fig = draw(charts.rate_vs_score, frame)
    ax = fig.axes[0]
    fig.draw_without_rendering()
    boxes = _boxes(ax)
    assert len(boxes) == len(fig.labelled) >= 5
    for i, a in enumerate(boxes):
        assert all(not a.overlaps(b) for b in boxes[i + 1:]), f"label {i} overlaps another"
        frame_box = ax.get_window_extent()
        assert frame_box.x0 <= a.x0 and a.x1 <= frame_box.x1 and frame_box.y0 <= a.y0 and a.y1 <= frame_box.y1
    points = ax.transData.transform(frame[["execution_rate", "score"]].to_numpy())
    for box, label in zip(boxes, fig.labelled):
        others = [p for j, p in enumerate(points) if str(j + 1) != label]
        assert not any(box.contains(x, y) for x, y in others), f"label {label} covers a point"
    # the PNG shows the same layout as measured: rendering keeps every placed label
    charts.figure_png(fig)
    assert len(_boxes(ax)) == len(fig.labelled)


def test_score_gaps_largest_first_and_coloured_by_sign(draw):
    frame = pd.DataFrame({"unit_name": NAMES[:5], "score": [90.0, 70.0, 85.0, 60.0, 88.0],
                          "claimed_score": [92.0, 90.0, 80.0, 60.0, np.nan]})
    ax = draw(charts.score_gaps, frame, n=10).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [NAMES[1], NAMES[2], NAMES[0]]
    bars = ax.containers[0]
    assert [bar.get_width() for bar in bars] == [20.0, -5.0, 2.0]
    assert to_hex(bars[0].get_facecolor()) == to_hex(bars[2].get_facecolor())
    assert to_hex(bars[0].get_facecolor()) != to_hex(bars[1].get_facecolor())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["自评高于复核", "自评低于复核"]
    assert len(draw(charts.score_gaps, frame, n=1).axes[0].containers[0]) == 1
    with pytest.raises(ValueError):
        charts.score_gaps(frame, n=0)


def test_score_gaps_none_when_no_gap():
    frame = pd.DataFrame({"unit_name": NAMES[:2], "score": [90.0, 80.0], "claimed_score": [90.0, 80.0]})
    assert charts.score_gaps(frame) is None


def test_findings_by_kind_labels_and_severity_colours(draw):
    ax = draw(charts.findings_by_kind, findings_frame(), labels=FINDING_LABELS).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["数值无效", "自评得分偏高", "缺少月度数据", "note"]
    bars = ax.containers[0]
    assert [bar.get_width() for bar in bars] == [4, 3, 2, 1]
    colours = [to_hex(bar.get_facecolor()) for bar in bars]
    assert colours[1] == colours[2] and len({colours[0], colours[1], colours[3]}) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["错误", "警告", "提示"]
    plain = draw(charts.findings_by_kind, findings_frame()).axes[0]
    assert [t.get_text() for t in plain.get_yticklabels()][0] == "bad_value"


def test_ranks_over_years_best_is_one_and_on_top(draw):
    fig = draw(charts.ranks_over_years, results_frame())
    ax = fig.axes[0]
    assert ax.yaxis_inverted()
    assert ax.get_xticks().tolist() == [2021, 2022, 2023]
    by_name = {line.get_label(): line for line in ax.get_lines()}
    # 财政局 (D01) scores 91 / 93 / 95 and ranks 2, 1, 1 (住房和城乡建设局 has no 2023 score)
    assert by_name["财政局"].get_ydata().tolist() == [2, 1, 1]
    assert by_name["公安局"].get_ydata().tolist() == [6, 6, 5]
    assert len(by_name["自然资源和规划局"].get_ydata()) == 3
    chosen = draw(charts.ranks_over_years, results_frame(), unit_codes=["D02", "D04"]).axes[0]
    assert sorted(line.get_label() for line in chosen.get_lines()) == ["公安局", "教育局"]
    assert [line.get_ydata().tolist() for line in chosen.get_lines() if line.get_label() == "教育局"] == [[4, 3, 3]]
    assert charts.ranks_over_years(results_frame(), unit_codes=["nobody"]) is None
    with pytest.raises(InputError, match="单位年度重复"):
        charts.ranks_over_years(pd.concat([results_frame(), results_frame()]))
