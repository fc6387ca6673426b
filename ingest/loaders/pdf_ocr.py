"""OCR of PDF pages without a text layer: the page rendered by pdfium, read by Tesseract's Swedish
model through pytesseract, returned as lines with positions in PDF points."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from typing import Any

import pytesseract

from ingest.model import LoadError

LANGUAGE = "swe"
DPI = 300  # Tesseract reads body text best at about 300 dpi
_MIN_CONFIDENCE = 30  # words below this are mostly specks and smudges
# Tesseract's OpenMP threads slow it down on a busy small machine (its FAQ advises one thread when
# pages run one at a time); a value set by the operator wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass
class OcrLine:
    text: str
    x0: float
    top: float
    bottom: float
    height: float  # relative to the page's median line height (1.0 = body text)
    paragraph: tuple[int, int]  # Tesseract's (block, paragraph)


def check_tesseract() -> None:
    """Raise a LoadError naming what to install when Tesseract or its Swedish model is missing."""
    try:
        languages = pytesseract.get_languages()
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise LoadError(
            "no text layer (scanned PDF?) and OCR is unavailable: Tesseract is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-swe)"
        ) from exc
    if LANGUAGE not in languages:
        raise LoadError(
            "no text layer (scanned PDF?) and OCR is unavailable: Tesseract's Swedish model is missing "
            "(apt-get install tesseract-ocr-swe)"
        )


def ocr_page(page: Any) -> list[OcrLine]:
    """The page's text lines in Tesseract's reading order (it finds columns and blocks itself).
    Call check_tesseract() once first."""
    image = page.to_image(resolution=DPI).original
    try:
        data = pytesseract.image_to_data(image, lang=LANGUAGE, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as exc:
        raise LoadError(f"OCR failed on page {page.page_number}: {exc.message}") from exc
    scale = 72 / DPI
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= _MIN_CONFIDENCE:
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    raw = []
    for (block, par, _), ids in lines.items():
        top = min(data["top"][i] for i in ids)
        bottom = max(data["top"][i] + data["height"][i] for i in ids)
        text = " ".join(data["text"][i].strip() for i in ids)
        raw.append((text, min(data["left"][i] for i in ids) * scale, top * scale, bottom * scale, (block, par)))
    if not raw:
        return []
    median = statistics.median(b - t for _, _, t, b, _ in raw) or 1.0
    return [OcrLine(text, x0, top, bottom, (bottom - top) / median, par) for text, x0, top, bottom, par in raw]
