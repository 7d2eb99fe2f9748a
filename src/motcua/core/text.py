"""Text folding for Vietnamese search: case- and diacritic-insensitive ("dang ky" finds "Đăng ký")."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own in Unicode, not d + a combining mark, so NFD does not strip them.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse spaces: the key we index and search by."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_words(text: str) -> list[str]:
    return [word for word in re.split(r"[^0-9a-z.]+", fold(text)) if word]
