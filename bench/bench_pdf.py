"""PDF loading speed, pages per second, against plain pypdf text extraction measured in the same run.

    PYTHONPATH=. .venv/bin/python bench/bench_pdf.py [--runs 3] [PDF ...]

Without arguments it builds the test fixtures (a two-column report of 64 pages with boxes, tables
and footnotes; a three-page image-only scan). Prints, per file: the loader (layout analysis, tables,
boxes; OCR for the scan) and the baseline (pypdf `extract_text`, which reads no layout and no
scans), best of --runs, in pages/s.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

import pypdf

from ingest.loaders.pdf import parse_pdf


def best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def pypdf_text(data: bytes) -> int:
    return sum(len(page.extract_text() or "") for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def fixtures() -> list[tuple[str, bytes]]:
    from tests.ingest.pdf_fixtures import build_report, build_scan

    return [("fixture report (text, 2 columns)", build_report()[0]), ("fixture scan (OCR)", build_scan())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = [(p.name, p.read_bytes()) for p in args.pdfs] or fixtures()
    print(f"{'file':<36} {'pages':>5} {'loader p/s':>11} {'pypdf p/s':>10} {'blocks':>6}")
    for name, data in files:
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
        blocks = len(parse_pdf(data)[1])
        loader = best_of(args.runs, lambda data=data: parse_pdf(data))
        baseline = best_of(args.runs, lambda data=data: pypdf_text(data))
        print(f"{name:<36} {pages:>5} {pages / loader:>11.1f} {pages / baseline:>10.1f} {blocks:>6}")


if __name__ == "__main__":
    main()
