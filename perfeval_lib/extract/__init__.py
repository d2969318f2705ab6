"""Published 自评报告 (txt, pdf) → headline figures, each with where it came from and every ambiguity.

Modules, in the order a report goes through them: :mod:`.text` (file → clean lines),
:mod:`.sections` (headings and sections), :mod:`.figures` and :mod:`.tables` (budget, executed,
rate, score), :mod:`.names` (unit, year, grade), :mod:`.reports` (the extraction, the table, the CSV).
"""
from .reports import COLUMNS, Extracted, extract_all, extract_file, extract_files, extract_text, to_frame, write_csv

__all__ = ["COLUMNS", "Extracted", "extract_all", "extract_file", "extract_files", "extract_text", "to_frame",
           "write_csv"]
