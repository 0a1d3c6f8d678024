"""Benchmarks: each runnable as ``python -m bench.<name>``, printing a table and writing
``bench/results/<name>.json`` and its section of ``docs/benchmarks.md``."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS_DIR = ROOT / "bench" / "results"


def replace_section(doc: Path, name: str, heading: str, body: str) -> None:
    """Put ``body`` between the ``<!-- name:begin/end -->`` markers of ``doc``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    section = f"{begin}\n{body}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n{section}\n"
    doc.write_text(text, encoding="utf-8")
