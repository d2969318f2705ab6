"""Shared test set-up: paths to the fixtures, the shipped data and (when present) ../shared."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def processed(tmp_path, monkeypatch) -> Path:
    """An empty processed-data folder, so tests never touch data/processed."""
    out = tmp_path / "processed"
    monkeypatch.setenv("PERFEVAL_PROCESSED", str(out))
    return out


def sha256_tree(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` — to prove raw inputs were not modified."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
