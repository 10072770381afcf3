"""Head office imports stores' day files (issue 15): registering stores and keys, one
transaction a file, the same file twice, an older or a missing sequence, a closed day's record
with other content, an altered file, an unknown key. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from store.exchange.keys import create_signing_key
from store.exchange.reader import read_signed
from store.hq.db import HqDb
from store.hq.importer import Outcome, import_file, missing_sequences
from store.hq.stores import add_store, trusted_keys
from tests.exchange_helpers import forged_day
from tests.hq_helpers import StoreDays, resign

NOW = datetime(2026, 12, 12, 2, 0)
TABLES = ("hq_files", "hq_sales", "hq_sale_lines", "hq_records")


def _counts(hq: HqDb) -> dict[str, int]:
    return {t: int(hq.execute(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in TABLES}


def _register(hq: HqDb, *stores: StoreDays) -> None:
    for store in stores:
        add_store(hq, store.code, store.key.public.text, now=NOW, name=f"{store.code}店")


def test_days_import_once_and_the_same_file_again_adds_nothing(
    hq: HqDb, chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    s1 = chain["S001"]
    _register(hq, s1)
    first = import_file(hq, s1.files[0], now=NOW)
    assert first.outcome is Outcome.IMPORTED and first.sequence == 1 and first.missing == []
    assert "S001" in first.message and first.records > 0
    sales = json.loads(hq.execute("SELECT body FROM hq_sales LIMIT 1")[0][0])
    assert sales["store_code"] == "S001"
    after_one = _counts(hq)
    again = import_file(hq, s1.files[0], now=NOW)
    assert again.outcome is Outcome.SAME_FILE and "imported before" in again.message
    assert _counts(hq) == after_one
    # Another file for sequence 1 (here: signed again with a field more) is a no-op too.
    other = resign(s1.files[0], s1, tmp_path / "again.day.zip", note="sent twice")
    assert import_file(hq, other, now=NOW).outcome is Outcome.ALREADY and _counts(hq) == after_one
    # A replaced key is added beside the old one: files signed with either are taken.
    rotated = add_store(hq, "S001", create_signing_key("S001", force=True).key.public.text, now=NOW)
    assert (rotated.created, rotated.key_added) == (False, True)
    assert import_file(hq, s1.files[1], now=NOW).outcome is Outcome.IMPORTED
    assert hq.execute("SELECT COUNT(*) FROM hq_store_keys")[0][0] == 2


def test_a_gap_is_imported_and_listed_until_the_day_comes(hq: HqDb, chain: dict[str, StoreDays]) -> None:
    s1 = chain["S001"]
    _register(hq, s1)
    import_file(hq, s1.files[0], now=NOW)
    third = import_file(hq, s1.files[2], now=NOW)
    assert third.outcome is Outcome.IMPORTED and third.missing == [2]
    late = import_file(hq, s1.files[1], now=NOW)  # older than the newest: still a day not had
    assert late.outcome is Outcome.IMPORTED and late.missing == [] and missing_sequences(hq, "S001") == []


def test_a_closed_days_record_with_other_content_refuses_the_whole_file(
    hq: HqDb, chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    s1 = chain["S001"]
    _register(hq, s1)
    import_file(hq, s1.files[0], now=NOW)
    before = _counts(hq)
    # Sequence 9 carries day 1's sales again, one total changed, and day 2's lines (new rows).
    parts = read_signed(s1.files[0], trusted_keys(hq), kind="day", schema_versions={1}).parts
    sale = json.loads(parts["sales.jsonl"].splitlines()[0])
    sale["total"] += 1
    changed = json.dumps(sale, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    forged = resign(
        s1.files[1],
        s1,
        tmp_path / "forged.day.zip",
        parts={"sales.jsonl": changed + b"\n"},
        sequence=9,
    )
    result = import_file(hq, forged, now=NOW)
    assert result.outcome is Outcome.CONFLICT
    assert f"sales {sale['id']}" in result.message and "nothing in it was used" in result.message
    assert _counts(hq) == before and missing_sequences(hq, "S001") == []


def test_changeable_records_keep_their_newest_state(
    hq: HqDb, chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    s1 = chain["S001"]
    _register(hq, s1)

    def customer(name: str) -> bytes:
        row = {"id": "0193c0de-0000-7000-8000-000000000001", "name": name, "phone": "hmac-sha256:ab"}
        return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    for seq, name in ((2, "张三"), (3, "张三丰"), (1, "张")):  # the oldest arrives last
        path = resign(
            s1.files[seq - 1], s1, tmp_path / f"{seq}.zip", parts={"customers.jsonl": customer(name)}
        )
        assert import_file(hq, path, now=NOW).outcome is Outcome.IMPORTED
    (body,) = hq.execute("SELECT body FROM hq_records WHERE family = 'customers'")[0]
    assert json.loads(body)["name"] == "张三丰"


def test_an_altered_file_or_an_unknown_key_writes_nothing(
    hq: HqDb, chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    s1, s2 = chain["S001"], chain["S002"]
    _register(hq, s1)
    data = bytearray(s1.files[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    altered = tmp_path / s1.files[0].name
    altered.write_bytes(bytes(data))
    truncated = tmp_path / "short.day.zip"
    truncated.write_bytes(bytes(data[: len(data) // 3]))
    for path in (altered, truncated, s2.files[0]):
        result = import_file(hq, path, now=NOW)
        assert result.outcome is Outcome.REFUSED and "nothing in it was used" in result.message
    assert "S002 has no public key registered" in import_file(hq, s2.files[0], now=NOW).message
    assert _counts(hq) == dict.fromkeys(TABLES, 0)
    # A file naming S001 but signed with S002's key (registered, for S002) is refused too.
    _register(hq, s2)
    parts = read_signed(s2.files[0], trusted_keys(hq), kind="day", schema_versions={1}).parts
    posing = tmp_path / "posing.day.zip"
    posing.write_bytes(forged_day(s2.key, parts, store="S001", sequence=7))
    result = import_file(hq, posing, now=NOW)
    assert result.outcome is Outcome.REFUSED and "not registered for store S001" in result.message
    # Honestly signed, but holding one record twice: refused, not a database error.
    twice = parts["sales.jsonl"].splitlines(keepends=True)[0] * 2
    doubled = resign(s2.files[0], s2, tmp_path / "twice.day.zip", parts={"sales.jsonl": twice})
    assert "records cannot be read" in import_file(hq, doubled, now=NOW).message
    assert _counts(hq) == dict.fromkeys(TABLES, 0)


def test_a_products_sku_follows_its_newest_record(
    hq: HqDb, chain: dict[str, StoreDays], tmp_path: Path
) -> None:
    s1 = chain["S001"]
    _register(hq, s1)
    parts = read_signed(s1.files[0], trusted_keys(hq), kind="day", schema_versions={1}).parts
    product = json.loads(parts["products.jsonl"].splitlines()[0])

    def renamed(sku: str) -> bytes:
        row = {**product, "sku": sku}
        return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    for seq, sku in ((3, "NEW-SKU"), (1, "OLD-SKU")):  # the older file arrives last
        path = resign(s1.files[seq - 1], s1, tmp_path / f"{seq}.zip", parts={"products.jsonl": renamed(sku)})
        assert import_file(hq, path, now=NOW).outcome is Outcome.IMPORTED
    mapped = hq.execute(
        "SELECT sku FROM hq_store_products WHERE store_code = %s AND id = %s", ("S001", product["id"])
    )
    assert mapped == [("NEW-SKU",)]
