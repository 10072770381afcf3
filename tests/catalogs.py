"""Keep the gettext catalogs in step with the source.

    python -m tests.catalogs          # extract, merge into both .po files, compile .mo
    python -m tests.catalogs --check  # exit 1 if a string has no translation

English msgids are the source text; the English catalog still lists every one (msgstr the
same text) so that wording can change without touching code."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "store" / "locale"
DOMAIN = "zhanggui"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LANGUAGES = ("zh_CN", "en")


FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def extract() -> dict[str, list[str]]:
    """msgid -> the places it is used, from store/ and tui/."""
    found: dict[str, list[str]] = {}
    for folder in ("store", "tui"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, []).append(f"{folder}/{filename}:{lineno}")
    return found


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def update() -> list[str]:
    """Merge the source's strings into both catalogs; returns the zh_CN msgids still empty."""
    messages = extract()
    missing: list[str] = []
    for language in LANGUAGES:
        old = read_catalog(language)
        # A fixed date and no line numbers: the files change only when a string does, so two
        # branches that move code do not conflict over the catalogs.
        new = Catalog(
            locale=language, domain=DOMAIN, project="zhanggui", charset="utf-8", creation_date=FIXED_DATE
        )
        for msgid in sorted(messages):
            previous = old.get(msgid)
            text = previous.string if previous is not None and previous.string else ""
            if language == "en" and not text:
                text = msgid
            if not text:
                missing.append(msgid)
            locations = [(place.rsplit(":", 1)[0], int(place.rsplit(":", 1)[1])) for place in messages[msgid]]
            new.add(msgid, string=text, locations=locations)
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, new, width=0, omit_header=False, sort_output=True, include_lineno=False)
        path.write_bytes(buffer.getvalue())
        compiled = io.BytesIO()
        write_mo(compiled, new)
        path.with_suffix(".mo").write_bytes(compiled.getvalue())
    return missing


def main() -> int:
    if "--check" in sys.argv:
        messages = extract()
        gaps = [
            m
            for lang in LANGUAGES
            for m in messages
            if not (read_catalog(lang).get(m) and read_catalog(lang)[m].string)
        ]
        for gap in gaps:
            print("untranslated:", gap)
        return 1 if gaps else 0
    missing = update()
    for msgid in missing:
        print("needs zh_CN:", msgid)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
