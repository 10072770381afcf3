"""Products from a CSV file (the distributor's or head office's price list): every row is
checked first, then all are created in one transaction, or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from store.db.transaction import write
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import _
from store.kernel.money import parse_money
from store.kernel.text import read_text_file
from store.models import Product
from store.stock import catalog

COLUMNS = ("sku", "barcode", "brand", "model", "colour", "storage", "category", "price", "cost")
REQUIRED = ("sku", "brand", "model", "category", "price")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class ProductRow:
    line: int
    sku: str
    barcode: str | None
    brand: str
    model: str
    colour: str
    storage: str
    category: str
    price: int
    cost: int


def parse_rows(text: str) -> list[ProductRow]:
    """Every row checked, or a ValidationError naming the line. csv's own errors (a field
    longer than its 128 KB limit) are bad input like any other: no price list needs a field
    that long, so the limit stays and the line is named instead."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _parse(reader)
    except csv.Error as exc:
        line = max(reader.reader.line_num, 1)  # the DictReader's own count lags a row behind
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                _("Line {line}: a field is longer than {kb} KB; is this the right file?").format(
                    line=line, kb=csv.field_size_limit() // 1024
                )
            ) from exc
        raise ValidationError(
            _("Line {line} is not valid CSV: {error}").format(line=line, error=exc)
        ) from exc


def _parse(reader: csv.DictReader[str]) -> list[ProductRow]:
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(_("The CSV needs the columns: {columns}").format(columns=", ".join(missing)))
    reader.fieldnames = header
    rows: list[ProductRow] = []
    seen: set[str] = set()
    for number, record in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError(_("At most {n} products in one file.").format(n=MAX_ROWS))
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if not any(values.values()):
            continue
        try:
            sku = values.get("sku", "")
            if sku in seen:
                raise ValidationError(_("SKU {sku} appears twice in the file.").format(sku=sku))
            seen.add(sku)
            rows.append(
                ProductRow(
                    line=number,
                    sku=sku,
                    barcode=values.get("barcode") or None,
                    brand=values.get("brand", ""),
                    model=values.get("model", ""),
                    colour=values.get("colour", ""),
                    storage=values.get("storage", ""),
                    category=values.get("category", ""),
                    price=parse_money(values.get("price", "")),
                    cost=parse_money(values["cost"]) if values.get("cost") else 0,
                )
            )
        except ZhangguiError as exc:
            raise ValidationError(_("Line {line}: {error}").format(line=number, error=exc)) from exc
    if not rows:
        raise ValidationError(_("The file holds no products."))
    return rows


def import_products(path: Path, *, by: str = "", encoding: str | None = None) -> list[Product]:
    """``encoding`` names the file's encoding when it is neither UTF-8 nor GB18030 (Big5)."""
    rows = parse_rows(read_text_file(path, encoding))

    def _tx() -> list[Product]:
        created: list[Product] = []
        for row in rows:
            try:
                created.append(
                    catalog.create_product(
                        sku=row.sku,
                        barcode=row.barcode,
                        brand=row.brand,
                        model=row.model,
                        colour=row.colour,
                        storage=row.storage,
                        category=row.category,
                        price=row.price,
                        cost=row.cost,
                        by=by,
                    )
                )
            except ZhangguiError as exc:
                raise ValidationError(_("Line {line}: {error}").format(line=row.line, error=exc)) from exc
        return created

    return write(_tx)
