"""Where the tests find things, and two small file helpers."""
from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RAW = ROOT / "data" / "raw"
#: The steering material beside the checkout (real reports, cases); tests that read it skip without it.
SHARED = ROOT.parent / "shared"


def sha256_tree(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` — to prove raw inputs were not modified."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` in ``encoding`` (folders made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
