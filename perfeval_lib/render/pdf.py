"""The 自评报告 draft as PDF: the Word draft converted by LibreOffice (``soffice --headless``).

Units publish their 自评报告 as PDF. perfeval writes the Word draft (:mod:`perfeval_lib.render.word`) and has
LibreOffice convert it, so the PDF has the same 公文 layout. LibreOffice is a system program, not a Python
package: without it :func:`write_pdf` raises a message naming what to install.

Examples
--------
>>> from perfeval_lib.render import report
>>> r = report.unit_report("D001", 2023)                             # doctest: +SKIP
>>> write_pdf(report.draft(r), "draft.pdf", figure_pngs(r))   # doctest: +SKIP
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import PerfevalError
from ..core.files import atomic_path
from ..narrate.draft import Draft
from .word import write_docx

#: The LibreOffice programs looked for, in this order (``PERFEVAL_SOFFICE`` names another).
OFFICE_PROGRAMS = ("soffice", "libreoffice")
#: What to install when none is found.
INSTALL_HINT = ("需要 LibreOffice 才能生成 PDF：sudo apt-get install libreoffice-writer（Debian/Ubuntu；或 bash "
                "scripts/install_office.sh），也可先用 --format docx 再在 Word/WPS 中另存为 PDF / PDF needs LibreOffice: "
                "install libreoffice-writer (apt-get install libreoffice-writer), or write --format docx and save it "
                "as PDF in Word")
#: Seconds a conversion may take.
TIMEOUT = 180


def office_program() -> str | None:
    """The LibreOffice program to run: ``PERFEVAL_SOFFICE``, else ``soffice`` or ``libreoffice`` on the PATH.

    Returns
    -------
    str or None
        Its path, or None when LibreOffice is not installed.

    Examples
    --------
    >>> office_program() is None or office_program().endswith(("soffice", "libreoffice"))
    True
    """
    named = os.environ.get("PERFEVAL_SOFFICE", "").strip()
    if named:
        return shutil.which(named)
    return next((found for found in map(shutil.which, OFFICE_PROGRAMS) if found), None)


def docx_to_pdf(docx: str | Path, target: str | Path, timeout: int = TIMEOUT) -> Path:
    """Convert a Word file to PDF with LibreOffice (headless, its own throwaway profile).

    Parameters
    ----------
    docx : str or Path
        The .docx file.
    target : str or Path
        The PDF to write (atomically: a reader never sees half a file).
    timeout : int
        Seconds the conversion may take.

    Returns
    -------
    pathlib.Path
        ``target``.

    Raises
    ------
    PerfevalError
        When LibreOffice is not installed (the message says what to install), takes longer than
        ``timeout``, or produces no PDF (its own message is quoted).

    Examples
    --------
    >>> docx_to_pdf("draft.docx", "draft.pdf")                        # doctest: +SKIP
    PosixPath('draft.pdf')
    """
    program = office_program()
    if program is None:
        raise PerfevalError(INSTALL_HINT)
    docx, target = Path(docx), Path(target)
    with tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as work:
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={Path(work, 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", work, str(docx.resolve())]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PerfevalError(f"LibreOffice 转换超过 {timeout} 秒，已停止 / LibreOffice took longer than {timeout} s") from None
        produced = Path(work) / f"{docx.stem}.pdf"
        if not produced.is_file():
            said = (done.stderr or done.stdout or "").strip().splitlines()
            raise PerfevalError(f"LibreOffice 未能生成 PDF / LibreOffice made no PDF (exit {done.returncode})"
                                + (f": {said[-1]}" if said else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as temporary:
            shutil.copyfile(produced, temporary)
    return target


def write_pdf(draft: Draft, path: str | Path, figures: dict | None = None) -> Path:
    """The draft as PDF: the Word draft (:func:`perfeval_lib.render.word.write_docx`) converted by LibreOffice.

    Parameters
    ----------
    draft : perfeval_lib.narrate.draft.Draft
        The unit-year's draft (title and sections 一 to 四).
    path : str or Path
        The PDF to write.
    figures : dict, optional
        Figure key → (PNG bytes, caption), as :func:`perfeval_lib.render.draft_figures.figure_pngs` gives them.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    PerfevalError
        When LibreOffice is not installed or the conversion fails (see :func:`docx_to_pdf`); nothing is
        written then.

    Examples
    --------
    >>> write_pdf(report.draft(r), "reports/2023/drafts/D001_2023_自评报告.pdf")  # doctest: +SKIP
    """
    if office_program() is None:
        raise PerfevalError(INSTALL_HINT)
    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="perfeval-docx-") as work:
        docx = write_docx(draft, Path(work) / f"{target.stem}.docx", figures)
        return docx_to_pdf(docx, target)
