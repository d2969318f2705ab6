"""Published 自评报告 (txt, pdf, docx) → headline figures and indicator tables, each with where it came from.

Modules, in the order a report goes through them: :mod:`.documents` (file → text and real tables),
:mod:`.text` (clean lines), :mod:`.sections` (headings and sections), :mod:`.cells` and :mod:`.tables`
(flattened tables read by their numbers' agreement), :mod:`.figures` (the prose's statements),
:mod:`.names` (unit, year, grade), :mod:`.headline` (tables and prose put together, with sources),
:mod:`.indicators` (the indicator table as canonical rows), :mod:`.reports` (the extraction, the tables,
the CSV).
"""
from .reports import (COLUMNS, Extracted, extract_all, extract_file, extract_files, extract_text, indicators_frame,
                      to_frame, write_csv)

__all__ = ["COLUMNS", "Extracted", "extract_all", "extract_file", "extract_files", "extract_text",
           "indicators_frame", "to_frame", "write_csv"]
