"""PNG charts of the Word draft: Chinese text renders with the bundled font (no missing glyphs), sizes, titles.

What every chart function must do with its input (None for empty input and all-missing values, a missing column
named) is tested for these PNG charts with the SVG charts, in test_svg_contract.py. The HTML pages draw their
charts as SVG (test_svg.py, test_svg_year.py, test_svg_history.py: what each shows). The inputs are in
tests/kits/chart_inputs.py."""
from __future__ import annotations

import warnings
from io import BytesIO

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from perfeval_lib.render import charts
from perfeval_lib.core.errors import InputError

from ..kits.chart_inputs import NAMES, level1_frame, lines_frame, progress_frame

MAX_PNG = 60_000

# name -> (function, input factory, keyword arguments, expected title)
CASES = {
    "budget_vs_executed": (charts.budget_vs_executed, lines_frame, {}, "预算数与执行数（万元）"),
    "spending_curve": (charts.spending_curve, progress_frame, {}, "月度累计支出进度"),
    "score_by_level1": (charts.score_by_level1, level1_frame, {}, "各一级指标得分与分值"),
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
    function, make, kwargs, title = CASES[name]
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
def test_figure_png_is_small_png(name, draw):
    function, make, kwargs, _ = CASES[name]
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
    png = charts.figure_png(draw(charts.spending_curve, progress_frame()))
    with Image.open(BytesIO(png)) as image:
        assert image.size[0] == 700 and 300 <= image.size[1] <= 400


def test_worst_case_inputs_stay_under_the_size_budget(draw):
    rng = np.random.default_rng(7)
    lines = pd.DataFrame({"label": [f"项目支出·专项{i}（{NAMES[i % 14]}）" for i in range(20)],
                          "budget_final": rng.uniform(10, 900, 20), "executed": rng.uniform(10, 900, 20)})
    fig = draw(charts.budget_vs_executed, lines)
    assert len(fig.axes[0].get_yticklabels()) == 15 and "另有 5 项" in fig.axes[0].get_xlabel()
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
