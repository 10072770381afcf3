"""The gettext catalogs: complete, consistent with the source, compiled, and actually used.

When a test here fails after adding or changing a user-facing string, run

    python -m tests.catalogs

and fill in the empty msgstr it reports in store/locale/zh_CN/LC_MESSAGES/zhanggui.po, then run it
again so the .mo files are compiled.
"""

from __future__ import annotations

import gettext
import importlib
import pkgutil
import string
import unicodedata
from functools import cache

import pytest
from babel.messages.catalog import Catalog

import tui
from store.kernel import i18n
from tests import catalogs

LANGUAGES = catalogs.LANGUAGES


@cache
def source_msgids() -> frozenset[str]:
    """Every msgid (an ngettext message by its singular)."""
    return frozenset(catalogs.singular(m) for m in catalogs.extract())


@cache
def plural_msgids() -> frozenset[tuple[str, str]]:
    return frozenset(m for m in catalogs.extract() if isinstance(m, tuple))


@cache
def catalog(language: str) -> Catalog:
    return catalogs.read_catalog(language)


def translations(language: str) -> dict[str, str]:
    """msgid -> msgstr for every real entry (not the header) of the .po file."""
    out: dict[str, str] = {}
    for message in catalog(language):
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
        out[msgid] = msgstr or ""
    return out


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a str.format template, sorted, with repeats."""
    fields = (field for _literal, field, _spec, _conv in string.Formatter().parse(text))
    return sorted(field for field in fields if field is not None)


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def test_the_source_has_strings_to_translate() -> None:
    # A broken extractor would make every other test here pass vacuously.
    msgids = source_msgids()
    assert len(msgids) > 100
    assert "Pay" in msgids
    assert "{label}: {value}" in msgids


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_string_is_translated(language: str) -> None:
    table = translations(language)
    missing = sorted(m for m in source_msgids() if m not in table)
    empty = sorted(m for m in source_msgids() if m in table and not table[m].strip())
    assert not missing, f"not in the {language} catalog (run python -m tests.catalogs): {missing}"
    assert not empty, f"no {language} translation (run python -m tests.catalogs): {empty}"


def test_the_chinese_catalog_is_chinese() -> None:
    """A msgstr copied from the English would pass the completeness test; few may stay as they are."""
    table = translations("zh_CN")
    untranslated = sorted(m for m, s in table.items() if s == m and any(c.isalpha() for c in m))
    assert untranslated == []
    without_chinese = [
        s for s in table.values() if not any(unicodedata.east_asian_width(c) in ("W", "F") for c in s)
    ]
    # Only a bare symbol such as "#" may do without a single Chinese character.
    assert all(not any(c.isalpha() for c in s) for s in without_chinese), without_chinese


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = {}
    for msgid, msgstr in translations(language).items():
        if not msgstr:
            continue
        try:
            expected, got = placeholders(msgid), placeholders(msgstr)
        except ValueError as exc:  # an unbalanced brace makes .format() raise at run time
            wrong[msgid] = f"{msgstr!r}: {exc}"
            continue
        if expected != got:
            wrong[msgid] = f"{msgstr!r} has {got}, needs {expected}"
        if msgid.count("%") != msgstr.count("%"):
            wrong[msgid] = f"{msgstr!r} changes the % signs"
    assert wrong == {}


def edges(text: str) -> tuple[str, str]:
    """The leading and trailing whitespace of ``text``."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_leading_and_trailing_whitespace(language: str) -> None:
    table = translations(language)
    wrong = {msgid: msgstr for msgid, msgstr in table.items() if msgstr and edges(msgid) != edges(msgstr)}
    assert wrong == {}


def test_the_english_catalog_repeats_the_source_text() -> None:
    table = translations("en")
    assert table["Pay"] == "Pay"
    assert table["{label}: {value}"] == "{label}: {value}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_the_po_file(language: str) -> None:
    mo_path = catalogs.po_path(language).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run python -m tests.catalogs"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    plural = {singular for singular, _plural in plural_msgids()}
    table = {m: s for m, s in translations(language).items() if s and m not in plural}
    stale = {m: (compiled.gettext(m), s) for m, s in table.items() if compiled.gettext(m) != s}
    assert stale == {}, f"{mo_path} is out of date: run python -m tests.catalogs"
    # And nothing in the .mo that the .po no longer has (the "" key is the header).
    compiled_ids = {key for key in compiled._catalog if isinstance(key, str) and key}
    assert compiled_ids == set(table)
    assert (compiled.info().get("content-type") or "").endswith("charset=utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_installed_catalog_translates_as_the_compiled_one(language: str) -> None:
    # set_language leaves out the entries that translate a message into itself (store.kernel.i18n):
    # every message still comes out as the .mo file has it, plurals included.
    with catalogs.po_path(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    try:
        i18n.set_language(language)
        installed = i18n._translation
        for key, text in compiled._catalog.items():
            if isinstance(key, str):
                assert installed.gettext(key) == compiled.gettext(key) == text
            else:
                singular, form = key
                n = next(n for n in range(1, 200) if compiled.plural(n) == form)
                assert installed.ngettext(singular, "(the plural)", n) == text
        if language == "en":
            assert len(vars(installed)["_catalog"]) < len(compiled._catalog) / 4
    finally:
        i18n.set_language("en")


def test_set_language_switches_the_catalog() -> None:
    try:
        assert i18n.set_language("zh_CN") == "zh_CN"
        assert i18n.current_language() == "zh_CN"
        assert i18n._("Pay") == "收款"
        assert i18n._("Cash") == "现金"
        assert i18n._("{label}: {value}").format(label=i18n._("Receipt"), value="S001") == "小票：S001"
        # An unknown msgid falls back to the English text rather than failing.
        assert i18n._("no such msgid in any catalog") == "no such msgid in any catalog"

        assert i18n.set_language("en") == "en"
        assert i18n.current_language() == "en"
        assert i18n._("Pay") == "Pay"
        assert i18n._("Cash") == "Cash"

        # Region variants and unknown languages are folded onto the two catalogs.
        assert i18n.set_language("zh_CN.UTF-8") == "zh_CN"
        assert i18n._("Pay") == "收款"
        assert i18n.set_language("fr_FR") == "en"
        assert i18n._("Pay") == "Pay"
    finally:
        i18n.set_language("en")
    assert i18n._("Pay") == "Pay"


@pytest.mark.parametrize(
    ("lang", "expected", "pay"),
    [("zh_CN.UTF-8", "zh_CN", "收款"), ("en_US.UTF-8", "en", "Pay")],
)
def test_the_language_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, lang: str, expected: str, pay: str
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", lang)
    try:
        assert i18n.detect_language() == expected
        assert i18n.set_language(None) == expected
        assert i18n._("Pay") == pay
        assert i18n.set_language("") == expected
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["C.UTF-8", "C", "POSIX", None])
def test_a_plain_c_locale_or_none_starts_in_chinese(
    monkeypatch: pytest.MonkeyPatch, lang: str | None
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(var, raising=False)
    if lang is not None:
        monkeypatch.setenv("LANG", lang)
        monkeypatch.setenv("LC_ALL", lang)
    assert i18n.detect_language() == "zh_CN"


def test_lc_all_wins_over_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.detect_language() == "en"
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.detect_language() == "zh_CN"


def footer_bindings() -> dict[str, str]:
    """Binding id -> English description for every binding a Footer shows, in every tui module."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(tui.__path__, prefix="tui."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue
            for binding in getattr(value, "BINDINGS", []) or []:
                description = getattr(binding, "description", "")
                if description and getattr(binding, "show", False):
                    found[binding.id or f"{value.__name__}.{binding.key}"] = description
    return found


def test_footer_labels_are_short_in_chinese() -> None:
    """Twelve F-keys share an 80-column footer: a label is at most 4 Chinese characters (8 cells)."""
    bindings = footer_bindings()
    assert "Pay" in bindings.values()
    table = translations("zh_CN")
    too_long = {
        english: table.get(english, "") for english in bindings.values() if cells(table.get(english, "")) > 8
    }
    assert too_long == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(language: str) -> None:
    """An ngettext message ('1 product is…' / '2 products are…') has one form in Chinese and
    two in English, each with the source's placeholders, and the compiled catalog picks
    them by number."""
    assert plural_msgids(), "no ngettext message found: the extractor lost them"
    with catalogs.po_path(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    forms_needed = {"zh_CN": 1, "en": 2}[language]
    for singular, plural in plural_msgids():
        forms = catalogs.forms_of(catalog(language), (singular, plural))
        assert len(forms) == forms_needed and all(forms), singular
        assert all(placeholders(form) == placeholders(plural) for form in forms), singular
        for n in (1, 2, 5):
            assert compiled.ngettext(singular, plural, n) == forms[min(n - 1, forms_needed - 1)], (
                singular,
                n,
            )
