"""`perfeval draft --format pdf`: the Word draft converted by LibreOffice, read back with pdfplumber."""
from __future__ import annotations

import pdfplumber
import pytest

from perfeval_lib.cli import main
from perfeval_lib.render import pdf

from ..kits.project import HEADINGS

needs_office = pytest.mark.skipif(pdf.office_program() is None,
                                  reason="LibreOffice not found: run scripts/install_office.sh (CI installs it)")


@needs_office
def test_pdf_draft_opens_and_shows_the_four_headings(project, tmp_path, capsys):  # noqa: F811
    target = tmp_path / "T01_2022_自评报告.pdf"
    assert main(["draft", "--unit", "T01", "--year", "2022", "--format", "pdf", "-o", str(target)]) == 0
    assert f"已写入 / written: {target}" in capsys.readouterr().out
    assert target.read_bytes().startswith(b"%PDF")
    with pdfplumber.open(target) as document:
        assert len(document.pages) >= 2
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    compact = text.replace(" ", "")
    positions = [compact.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert "测试区妇女联合会" in compact and "310.20万元" in compact


@needs_office
def test_pdf_draft_default_path(project, capsys):  # noqa: F811
    assert main(["draft", "--unit", "T03", "--year", "2022", "--format", "pdf"]) == 0
    written = project["reports"] / "2022" / "drafts" / "T03_2022_自评报告.pdf"
    assert written.is_file() and written.read_bytes()[:4] == b"%PDF"


def test_without_libreoffice_the_message_names_what_to_install(project, tmp_path, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    target = tmp_path / "x.pdf"
    assert main(["draft", "--unit", "T01", "--year", "2022", "--format", "pdf", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "libreoffice-writer" in err and "LibreOffice" in err and "Traceback" not in err
    assert not target.exists()


def test_a_conversion_that_makes_no_pdf_is_a_message(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PERFEVAL_SOFFICE", str(fake))
    (tmp_path / "d.docx").write_bytes(b"not a docx")
    with pytest.raises(pdf.PerfevalError, match="could not be loaded"):
        pdf.docx_to_pdf(tmp_path / "d.docx", tmp_path / "d.pdf")
    assert not (tmp_path / "d.pdf").exists()
