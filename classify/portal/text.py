"""Character classes and clean-up shared by the portal parsers."""

from __future__ import annotations

import re

# Python's re has no \p{Lu}/\p{Ll}; the scrape's glued cells are split at case changes, so the
# Vietnamese letters are spelled out.
UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# Zero-width and direction marks pasted from Word ("đăng k\u200eý") break search and matching.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\ufeff]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)
