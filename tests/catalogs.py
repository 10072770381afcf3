"""Keep the gettext catalogs in step with the source.

    python -m tests.catalogs          # extract, merge into both .po files, compile .mo
    python -m tests.catalogs --check  # exit 1 if a string has no translation
    python -m tests.catalogs --set 'msgid' '中文'         # a plain message's zh_CN text
    python -m tests.catalogs --set-plural 'msgid' '中文'  # an ngettext message's zh_CN form(s)

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


Msgid = str | tuple[str, str]  # a plain message, or ngettext's (singular, plural)


def extract() -> dict[Msgid, list[str]]:
    """msgid -> the places it is used, from store/ and tui/. An ngettext message keeps both
    its forms; the catalogs then hold every plural form of its language (zh_CN one, en two)."""
    found: dict[Msgid, list[str]] = {}
    for folder in ("store", "tui"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            msgid: Msgid = (message[0], message[1]) if isinstance(message, tuple) else message
            if msgid and (isinstance(msgid, str) or msgid[0]):
                found.setdefault(msgid, []).append(f"{folder}/{filename}:{lineno}")
    return found


def singular(msgid: Msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def forms_of(catalog: Catalog, msgid: Msgid) -> list[str]:
    """The translation of ``msgid`` in ``catalog``: one string, or one per plural form (a
    form set as a plain string counts as the first)."""
    message = catalog.get(singular(msgid))
    text = message.string if message is not None else ""
    found = list(text) if isinstance(text, (tuple, list)) else [text or ""]
    if isinstance(msgid, str):
        return found[:1]
    return (found + [""] * catalog.num_plurals)[: catalog.num_plurals]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def set_plural(msgid: str, forms: list[str], language: str = "zh_CN") -> None:
    """Fill the plural forms of an ngettext message (--set sets one string, which fits a
    plain message only); rerun the merge afterwards to compile the .mo."""
    catalog = read_catalog(language)
    message = catalog.get(msgid)
    if message is None or not message.pluralizable:
        raise SystemExit(f"no plural msgid (run python -m tests.catalogs first): {msgid!r}")
    message.string = tuple(forms)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    po_path(language).write_bytes(buffer.getvalue())


def set_text(msgid: str, text: str, language: str = "zh_CN") -> None:
    """Fill the translation of a plain message; rerun the merge afterwards to compile the .mo."""
    catalog = read_catalog(language)
    message = catalog.get(msgid)
    if message is None or message.pluralizable:
        raise SystemExit(f"no plain msgid (run python -m tests.catalogs first): {msgid!r}")
    message.string = text
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    po_path(language).write_bytes(buffer.getvalue())


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
        for msgid in sorted(messages, key=singular):
            forms = forms_of(old, msgid)
            if language == "en":
                source = [msgid] if isinstance(msgid, str) else list(msgid)
                forms = [form or source[min(i, len(source) - 1)] for i, form in enumerate(forms)]
            if not all(forms):
                missing.append(singular(msgid))
            locations = [(place.rsplit(":", 1)[0], int(place.rsplit(":", 1)[1])) for place in messages[msgid]]
            new.add(msgid, string=forms[0] if isinstance(msgid, str) else tuple(forms), locations=locations)
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
    if "--set" in sys.argv:  # --set 'msgid' 'text' (zh_CN)
        where = sys.argv.index("--set")
        set_text(sys.argv[where + 1], sys.argv[where + 2])
        return 0
    if "--set-plural" in sys.argv:  # --set-plural 'msgid' 'form' ['form' ...] (zh_CN)
        where = sys.argv.index("--set-plural")
        set_plural(sys.argv[where + 1], sys.argv[where + 2 :])
        return 0
    if "--check" in sys.argv:
        messages = extract()
        catalogs = {lang: read_catalog(lang) for lang in LANGUAGES}
        gaps = [singular(m) for lang in LANGUAGES for m in messages if not all(forms_of(catalogs[lang], m))]
        for gap in gaps:
            print("untranslated:", gap)
        return 1 if gaps else 0
    missing = update()
    for msgid in missing:
        print("needs zh_CN:", msgid)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
