"""Compile the .po catalogues to .mo with polib, so no GNU gettext is needed to run motcua."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "motcua" / "locale"

for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path.relative_to(LOCALE)}")
