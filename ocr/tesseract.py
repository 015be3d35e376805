"""Tesseract 5 (``vie``) as an :class:`~ocr.model.OcrEngine`, one CLI process per page.

One pass yields the words with their boxes (TSV); the archive's invisible text layer is written
from those same words (``ocr.pagepdf``), so there is never a second OCR run.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytesseract

from ingest.errors import SohoaError
from ingest.rasterize import PageImage
from ingest.text import nfc
from ocr.model import PageText, Word


class TesseractUnavailable(SohoaError):
    code = "tesseract_unavailable"


@dataclass(frozen=True)
class TesseractConfig:
    lang: str = "vie"
    oem: int = 1
    psm: int = 3
    timeout_seconds: int = 180
    command: str = "tesseract"


def check_tesseract(config: TesseractConfig) -> str:
    """Return the Tesseract version, or raise if it or one of its languages is missing."""
    pytesseract.pytesseract.tesseract_cmd = config.command
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = set(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise TesseractUnavailable(
            f"Không tìm thấy Tesseract ({config.command}). Cài gói tesseract-ocr.",
            f"Tesseract not found ({config.command}); install tesseract-ocr.",
        ) from exc
    missing = [lang for lang in config.lang.split("+") if lang not in languages]
    if missing:
        raise TesseractUnavailable(
            f"Tesseract thiếu dữ liệu ngôn ngữ: {', '.join(missing)} (cài tesseract-ocr-vie).",
            f"Tesseract lacks language data: {', '.join(missing)} (install tesseract-ocr-vie).",
        )
    return version


class TesseractEngine:
    """Runs the ``tesseract`` CLI; each call is an independent process, so threads scale."""

    def __init__(self, config: TesseractConfig) -> None:
        self._config = config
        # Several pages run at once: OpenMP threads inside each process only slow them down.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        self._version = check_tesseract(config)

    @property
    def version(self) -> str:
        c = self._config
        return f"tesseract {self._version} -l {c.lang} --oem {c.oem} --psm {c.psm}"

    def recognize(self, page: PageImage) -> PageText:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
            # Uncompressed TIFF: ten times faster to write than PNG and it keeps the dpi. Said
            # explicitly: Pillow would reuse the source's compression (CCITT G4 for a bilevel
            # scan), which cannot encode the grey image the page has become.
            image_path = Path(tmp) / "page.tif"
            page.image.save(image_path, format="TIFF", dpi=(page.dpi, page.dpi),
                            compression="raw")
            out_base = Path(tmp) / "out"
            try:
                self._run(image_path, out_base, page.dpi)
            except (RuntimeError, pytesseract.TesseractError) as exc:
                return self._failed(page, started, str(exc))
            tsv = (out_base.with_suffix(".tsv")).read_text(encoding="utf-8")
        words, text = parse_tsv(tsv)
        confidences = [w.conf for w in words]
        mean = round(sum(confidences) / len(confidences), 2) if confidences else None
        return PageText(
            index=page.index, text=text, mean_confidence=mean, words=words,
            source="tesseract", engine=self.version, width=page.image.width,
            height=page.image.height, dpi=page.dpi, seconds=time.perf_counter() - started,
            status="ok" if words else "empty",
        )

    def _run(self, image_path: Path, out_base: Path, dpi: int) -> None:
        c = self._config
        pytesseract.pytesseract.tesseract_cmd = c.command
        pytesseract.pytesseract.run_tesseract(
            str(image_path), str(out_base), extension="tsv", lang=c.lang,
            # Skipping the inverted-text pass (white on black) saves time on document pages.
            config=f"--oem {c.oem} --psm {c.psm} --dpi {dpi} -c tessedit_create_tsv=1 "
                   "-c tessedit_do_invert=0",
            timeout=c.timeout_seconds,
        )

    def _failed(self, page: PageImage, started: float, error: str) -> PageText:
        return PageText(
            index=page.index, text="", mean_confidence=None, words=(), source="tesseract",
            engine=self.version, width=page.image.width, height=page.image.height,
            dpi=page.dpi, seconds=time.perf_counter() - started, status="failed",
            error=error or "tesseract failed",
        )


# The vie model often reads Đ/đ as the Icelandic eth Ð/ð (U+00D0/U+00F0), which Vietnamese never
# uses: "QÐ-UBND" would then miss every rule, field and search for "QĐ".
_ETH_AS_D = str.maketrans("Ðð", "Đđ")


def parse_tsv(tsv: str) -> tuple[tuple[Word, ...], str]:
    """Parse Tesseract TSV into words and a text with one line per recognised line."""
    words: list[Word] = []
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    paragraphs: list[tuple[int, int, int, int]] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = nfc((row.get("text") or "").strip()).translate(_ETH_AS_D)
        if row.get("level") != "5" or not text:
            continue
        conf = float(row["conf"])
        box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        words.append(Word(text=text, conf=round(conf, 2), box=box))
        key = (int(row["page_num"]), int(row["block_num"]), int(row["par_num"]),
               int(row["line_num"]))
        if key not in lines:
            paragraphs.append(key)
            lines[key] = []
        lines[key].append(text)
    text_lines: list[str] = []
    previous: tuple[int, int, int, int] | None = None
    for key in paragraphs:
        if previous is not None and key[:3] != previous[:3]:
            text_lines.append("")  # blank line between paragraphs
        text_lines.append(" ".join(lines[key]))
        previous = key
    return tuple(words), "\n".join(text_lines)
