"""Published 自评报告 (txt, pdf) → headline figures, each with where it came from and every ambiguity."""
from .reports import COLUMNS, Extracted, extract_all, extract_file, extract_files, extract_text, to_frame, write_csv

__all__ = ["COLUMNS", "Extracted", "extract_all", "extract_file", "extract_files", "extract_text", "to_frame",
           "write_csv"]
