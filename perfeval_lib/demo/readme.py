"""The README written beside the demo files: what is invented, how the files were made, each file's
format, headers and byte size, the format dirt a loader must clean (counted per file), the planted
errors with the file each appears in, how the honest 自评得分 were computed, and SHA-256 checksums.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from .district import _Demo
from .names import (BUDGET_HEADER, BUDGET_HEADER_YUAN, BUDGET_SHEET, CLAIMS_FILE, CLAIMS_HEADER, GBK_YEAR,
                    INDICATOR_HEADER, INDICATOR_SHEET, README_FILE, SPENDING_FILE, SPENDING_HEADER,
                    SPENDING_SHEET, UNITS_FILE, UNITS_HEADER, XLSX_YEAR, YUAN_BUDGET_FILE, YUAN_UNIT)
from .planted import _ERROR_FILES

_README_HEAD = """# 示例区 演示数据 / 示例区 demo data

> **全部数据均为虚构。** 示例区、各单位、金额、指标、得分均由程序随机生成，与任何真实地区、单位或数据无关，
> 仅用于演示和测试 perfeval 的读取、清洗、复核评分与审核功能。
>
> **Every figure here is invented.** The district 示例区, its units, amounts, indicators and scores are
> generated at random by a program; they describe no real place, body or budget. They exist to
> demonstrate and test loading, cleaning, re-scoring and auditing in perfeval.

## 生成方式 / How these files were made

```
python -m perfeval_lib.demo data/raw/demo            # seed {seed}
python -m perfeval_lib.demo data/raw/demo --seed 7   # another invented district
```

生成过程是确定性的：同一 seed 重新运行得到逐字节相同的文件（xlsx 的文档属性和 zip 时间戳均为固定值；
需相同版本的 openpyxl/zlib）。可用 `sha256sum data/raw/demo/*` 对照下方校验和。

Generation is deterministic: rerunning with the same seed gives byte-identical files (xlsx document
dates and zip timestamps are fixed; same openpyxl/zlib versions assumed). Compare
`sha256sum data/raw/demo/*` with the checksums at the end. The planted errors are also available
in code: `perfeval_lib.demo.planted_errors()`.

示例区共 {n_units} 个单位（D001–D{last:03d}），年度 {first_year}–{last_year}；约 2/3 单位适用 `mof-2020`
（预算执行率 10 / 产出 50 / 效益 30 / 满意度 10），其余适用 `mof-2013-dept`（投入 15 / 过程 55 / 产出 15 / 效果 15）。
{n_units} units (D001–D{last:03d}), years {first_year}–{last_year}; about 2/3 use `mof-2020`, the rest `mof-2013-dept`.
"""

_FILE_NOTES = {
    UNITS_FILE: ("UTF-8 with BOM", "单位名录 / unit register"),
    "budget_csv": ("UTF-8", "预算执行明细 + 每单位每年一行“合计” / budget lines + one 合计 row per unit-year"),
    "budget_gbk": ("GBK", "同上，GBK 编码 / as above, GBK-encoded"),
    "budget_xlsx": (f"xlsx, sheet “{BUDGET_SHEET}”", "同上；第 1 行为合并的标题行，表头在第 2 行 / "
                                                    "as above; merged title on row 1, header on row 2"),
    YUAN_BUDGET_FILE: ("UTF-8", f"{YUAN_UNIT} 各年预算执行，金额单位为元 / {YUAN_UNIT}'s budget, all years, in 元"),
    SPENDING_FILE: (f"xlsx, sheet “{SPENDING_SHEET}”", "月度累计支出（万元），12 月 = 全年执行数 / "
                                                      "cumulative monthly spending, December = year's executed"),
    "indicators_csv": ("UTF-8", "绩效指标自评表 / indicator self-evaluation"),
    "indicators_xlsx": (f"xlsx, sheet “{INDICATOR_SHEET}”", "同上 / as above"),
    CLAIMS_FILE: ("UTF-8", "自评总分与等级 / claimed total and grade per unit-year"),
}

_SCORING_NOTE = """## 诚实自评得分的口径 / How the honest 自评得分 were computed

未被预埋错误改动的行，自评得分按以下简单口径计算（保留 1 位小数）：达到目标得满分；定量未达标时，
“≥”按 实际/目标、“≤”按 目标/实际（目标为 0 时不得分，如“三公”经费变动率 ≤0%）、“=”按 较小值/较大值 乘以分值；
定性：达成/好 = 满分，部分达成/较好 = 0.8，一般 = 0.6，未达成 = 0；“不涉及”给满分。
mof-2020 的“预算执行率”（年度指标值写作 “100%”）和 mof-2013-dept 的“预算完成率”“预算调整率”“结转结余率”
由预算执行明细计算（明细之和，不用合计行）。未达标的行约 70% 填写了偏差原因。自评总分 = 指标自评得分之和（1 位小数），
等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60。

Rows not touched by a planted error are scored simply (1 decimal): target met → full 分值; a missed
quantitative target → 分值 × actual/target for ≥, × target/actual for ≤ (0 when the target is 0),
× min/max for =; qualitative: 达成/好 full, 部分达成/较好 0.8, 一般 0.6, 未达成 0; 不涉及 full marks.
The mof-2020 预算执行率 row and the mof-2013 预算完成率/预算调整率/结转结余率 rows are computed from the
budget detail lines (their sum, not the 合计 row). About 70 % of missed targets give a 偏差原因.
自评总分 = the sum of the rows' 自评得分; grades 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60.

Other things an audit will see that are *not* planted errors: honestly missed targets (scored
down, mostly explained); mof-2013 units' 预算调整率 and 结转结余率 targets often missed because
全年预算 is 年初 × 0.9–1.2; 不涉及 rows scored full; mid-year top-ups noted “含年中追加预算”.
"""


def _file_kind(name: str) -> str:
    """The key of ``_FILE_NOTES`` that describes the file ``name``."""
    if name.startswith("budget_") and name != YUAN_BUDGET_FILE:
        if name.endswith(".xlsx"):
            return "budget_xlsx"
        return "budget_gbk" if name == f"budget_{GBK_YEAR}.csv" else "budget_csv"
    if name.startswith("indicators_"):
        return "indicators_xlsx" if name.endswith(".xlsx") else "indicators_csv"
    return name


def _md_cell(text: object) -> str:
    """``text`` safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _readme(out: Path, demo: _Demo, paths: list[Path], counts: dict, seed: int) -> Path:
    """Write ``README.md`` describing ``paths`` (already written) and the dirt ``counts`` per file."""
    years = sorted(demo.lines["year"].unique())
    parts = [_README_HEAD.format(seed=seed, n_units=len(demo.units), last=len(demo.units),
                                 first_year=years[0], last_year=years[-1])]
    parts.append("## 文件 / Files\n\n| 文件 file | 格式 format | 内容 content | 字节 bytes |\n|---|---|---|---|")
    for path in paths:
        fmt, content = _FILE_NOTES[_file_kind(path.name)]
        parts.append(f"| `{path.name}` | {fmt} | {content} | {path.stat().st_size} |")
    parts.append("\n表头 / headers:\n")
    parts.append(f"- `{UNITS_FILE}`: {','.join(UNITS_HEADER)}")
    parts.append(f"- `budget_<year>`: {','.join(BUDGET_HEADER)}")
    parts.append(f"- `{YUAN_BUDGET_FILE}`: {','.join(BUDGET_HEADER_YUAN)}")
    parts.append(f"- `{SPENDING_FILE}`: {','.join(SPENDING_HEADER)}")
    parts.append(f"- `indicators_<year>`: {','.join(INDICATOR_HEADER)}")
    parts.append(f"- `{CLAIMS_FILE}`: {','.join(CLAIMS_HEADER)}")
    parts.append("\n## 格式“脏点” / Deliberate dirt (format problems a loader must clean)\n")
    parts.append(f"- `budget_<year>`：{YUAN_UNIT} 不在年度文件中，单独见 `{YUAN_BUDGET_FILE}`（金额单位为元）。"
                 f"“合计”行的资金来源、项目名称为空；基本支出行项目名称为空。 / {YUAN_UNIT} is only in "
                 f"`{YUAN_BUDGET_FILE}` (in 元); 合计 rows and 基本支出 rows have empty text columns.")
    parts.append(f"- `{SPENDING_FILE}`：{YUAN_UNIT} 已换算为万元 / {YUAN_UNIT} converted to 万元 here.\n")
    parts.append("| 文件 file | 脏点 dirt | 个数 count |\n|---|---|---|")
    for path in paths:
        for what, n in sorted(counts.get(path.name, Counter()).items()):
            parts.append(f"| `{path.name}` | {what} | {n} |")
    parts.append("\n## 预埋错误 / Planted errors (findings an audit should make)\n")
    parts.append("| 单位 unit | 年度 year | 类型 kind | 文件 file | 详情 detail |\n|---|---|---|---|---|")
    for row in demo.errors.itertuples():
        file = _ERROR_FILES[row.kind].replace("<year>", str(row.year))
        if file.startswith(("budget_", "indicators_")):
            file += ".xlsx" if row.year == XLSX_YEAR else ".csv"
            if row.unit_code == YUAN_UNIT and file.startswith("budget_"):
                file = YUAN_BUDGET_FILE
        parts.append(f"| {row.unit_code} | {row.year} | `{row.kind}` | `{file}` | {_md_cell(row.detail)} |")
    parts.append("\n## 分析人员文字 / The analyst's text (`narratives/`)\n\n"
                 "`narratives/<单位编码>/<年度>.yaml` 是手写的示例文字（同样是虚构的），不由本脚本生成、也不会被它覆盖。"
                 " / `narratives/<unit_code>/<year>.yaml` are hand-written example texts (invented as well); this "
                 "script neither makes nor overwrites them.")
    parts.append("\n" + _SCORING_NOTE)
    parts.append("## 校验和 / SHA-256 checksums\n\n```")
    parts += [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in paths]
    parts.append("```\n")
    path = out / README_FILE
    path.write_text("\n".join(parts), encoding="utf-8", newline="\n")
    return path
