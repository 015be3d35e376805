"""The serif font family of the forms: a TrueType font with Vietnamese glyphs, embedded in the PDF.

Liberation Serif (Debian ``fonts-liberation2``; the older ``fonts-liberation`` lacks the
Vietnamese glyphs) is preferred for its Times-like look, DejaVu Serif (``fonts-dejavu``) is the
fallback. reportlab embeds a subset of the TrueType file (``FontFile2``), so the PDF prints the
same everywhere. Registration happens on first use, never at import time.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ingest.errors import SohoaError

FAMILY = "SohoaSerif"
SAMPLE = "Cộng hòa xã hội chủ nghĩa Việt Nam ĐƯỢC ỮỶỸỴ ằẳẵặ ơờởỡợ ưừửữự"


class FontUnavailable(SohoaError):
    """No font with Vietnamese glyphs is installed: an operator must install one."""

    code = "font_unavailable"


@dataclasses.dataclass(frozen=True, slots=True)
class FontFiles:
    """The four TrueType files of one serif family."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def paths(self) -> tuple[Path, Path, Path, Path]:
        return (self.regular, self.bold, self.italic, self.bold_italic)

    def exists(self) -> bool:
        return all(path.is_file() for path in self.paths())


_LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

CANDIDATES: tuple[FontFiles, ...] = (
    FontFiles("Liberation Serif", _LIBERATION / "LiberationSerif-Regular.ttf",
              _LIBERATION / "LiberationSerif-Bold.ttf", _LIBERATION / "LiberationSerif-Italic.ttf",
              _LIBERATION / "LiberationSerif-BoldItalic.ttf"),
    FontFiles("DejaVu Serif", _DEJAVU / "DejaVuSerif.ttf", _DEJAVU / "DejaVuSerif-Bold.ttf",
              _DEJAVU / "DejaVuSerif-Italic.ttf", _DEJAVU / "DejaVuSerif-BoldItalic.ttf"),
)


@dataclasses.dataclass(frozen=True, slots=True)
class FontSet:
    """Registered reportlab font names of the family, and which files they came from."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    source: FontFiles


def find_font_files(candidates: Sequence[FontFiles] = CANDIDATES) -> FontFiles:
    """The first candidate family whose four files exist and that has Vietnamese glyphs."""
    for family in candidates:
        if family.exists() and _has_glyphs(family.regular, SAMPLE):
            return family
    tried = ", ".join(f"{family.name} ({family.regular.parent})" for family in candidates)
    raise FontUnavailable(
        "Không tìm thấy phông chữ có dấu tiếng Việt để in biểu mẫu; hãy cài gói "
        f"fonts-liberation2 hoặc fonts-dejavu. Đã thử: {tried}.",
        "No font with Vietnamese glyphs found to print the forms; install the Debian package "
        f"fonts-liberation2 or fonts-dejavu. Tried: {tried}.",
    )


def _has_glyphs(path: Path, text: str) -> bool:
    try:
        font = TTFont(f"probe-{path.stem}", str(path))
    except Exception:  # a truncated or foreign file is as good as none
        return False
    char_to_glyph = font.face.charToGlyph
    return all(ord(ch) in char_to_glyph for ch in set(text) if not ch.isspace())


def register_fonts(files: FontFiles) -> FontSet:
    """Register the four faces with reportlab under stable names; idempotent."""
    prefix = f"{FAMILY}-{files.name.replace(' ', '')}"
    names = FontSet(prefix, f"{prefix}-Bold", f"{prefix}-Italic", f"{prefix}-BoldItalic", files)
    faces = (names.regular, names.bold, names.italic, names.bold_italic)
    registered = set(pdfmetrics.getRegisteredFontNames())
    for face, path in zip(faces, files.paths(), strict=True):
        if face not in registered:
            pdfmetrics.registerFont(TTFont(face, str(path)))
    for bold, italic, face in ((0, 0, names.regular), (1, 0, names.bold),
                               (0, 1, names.italic), (1, 1, names.bold_italic)):
        addMapping(names.regular, bold, italic, face)
    return names


@functools.cache
def form_fonts() -> FontSet:
    """The font family every form uses: found and registered once per process.

    Call it at start-up to fail early, with :class:`FontUnavailable`, when no font is installed.
    """
    return register_fonts(find_font_files())
