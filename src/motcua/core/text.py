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


# Onsets after which Vietnamese writes a final "i" or "y" either way (kí/ký, lí/lý, mĩ/mỹ, sĩ/sỹ, tỉ/tỷ,
# hi/hy, quí/quý). Not after other onsets ("thi", "khi", "chi" have no "y" form) nor after a vowel
# ("tai" and "tay" are different words).
_IY_ONSETS = frozenset({"h", "k", "l", "m", "s", "t", "qu"})


def spelling_variants(word: str) -> tuple[str, ...]:
    """The spellings of one folded syllable that mean the same: ("ki", "ky") for "ki" or "ky", else (word,)."""
    if len(word) >= 2 and word[-1] in "iy" and word[:-1] in _IY_ONSETS:
        return (word[:-1] + "i", word[:-1] + "y")
    return (word,)


def spelling_key(word: str) -> str:
    """One spelling for each group of ``spelling_variants``: compares "ky" and "ki" as equal."""
    return spelling_variants(word)[0]
