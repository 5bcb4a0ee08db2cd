"""Compile .po catalogues to .mo files with polib, so GNU gettext is not needed to run."""

from collections.abc import Iterable
from pathlib import Path

import polib


def compile_catalogues(locale_dirs: Iterable[Path]) -> list[Path]:
    """Compile every out-of-date catalogue; return the .po files that were compiled."""
    compiled = []
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled.append(po_path)
    return compiled
