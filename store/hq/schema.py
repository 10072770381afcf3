"""Head office's tables, one DDL for SQLite and PostgreSQL.

Every record a store sends is keyed by (store_code, id): stores keep their own ids, so any
number of them merge, and ``store_code`` leads every key and index, which is what a
distributed PostgreSQL (Citus) needs of its distribution column (DESIGN.md, "Head office").

- ``hq_stores`` / ``hq_store_keys``: who may send files, by which keys;
- ``hq_brand_stores`` / ``hq_brand_products``: a brand's own codes for a store and for a SKU
  (``zhanggui hq map``), which its sell-out feed names them by; a SKU may be mapped before any
  store has sent it;
- ``hq_files``: every day file imported (by its SHA-256), one per (store, sequence);
- ``hq_sales`` / ``hq_sale_lines``: the sales with the columns reports read, and the record;
- ``hq_products`` / ``hq_store_products``: the chain's products by SKU, and which of each
  store's product ids is which SKU (a store's lines and movements name its own ids);
- ``hq_stock_movements``: every stock movement, with the columns receipts and demand read;
- ``hq_stock_levels``: a product's on-hand at a day's close, as the store counted it (every
  file names the products it moved; a store's first file every product it holds): a store's
  stock on a day is each product's latest level up to it;
- ``hq_staff``: each store's staff by the store's own ids (code and name, as the store's
  newest file says): the promoter league names promoters by them;
- ``hq_records``: every other part's records as the store sent them (JSON text), by family;
  ``seq`` is the file sequence that wrote the row (a mutable record keeps its newest state).
"""

from __future__ import annotations

# {text} and {bool} are the dialect's types: the rest is the same SQL on both.
# hq_sales_day holds every column the chain's sales reports read of a date range, so PostgreSQL
# answers them from the index alone (an index-only scan) instead of reading each record's JSON
# body from the table; it replaces hq_sales_date, the first two of its columns.
_TABLES = """
CREATE TABLE IF NOT EXISTS hq_stores (
    code {text} PRIMARY KEY,
    name {text} NOT NULL,
    franchise {bool} NOT NULL,
    added_at {text} NOT NULL
);
CREATE TABLE IF NOT EXISTS hq_store_keys (
    store_code {text} NOT NULL REFERENCES hq_stores (code),
    key_id {text} NOT NULL,
    public_key {text} NOT NULL,
    added_at {text} NOT NULL,
    PRIMARY KEY (store_code, key_id)
);
CREATE TABLE IF NOT EXISTS hq_brand_stores (
    store_code {text} NOT NULL REFERENCES hq_stores (code),
    brand {text} NOT NULL,
    brand_code {text} NOT NULL,
    updated_at {text} NOT NULL,
    PRIMARY KEY (store_code, brand)
);
CREATE UNIQUE INDEX IF NOT EXISTS hq_brand_stores_code ON hq_brand_stores (brand, brand_code);
CREATE TABLE IF NOT EXISTS hq_brand_products (
    sku {text} NOT NULL,
    brand {text} NOT NULL,
    brand_code {text} NOT NULL,
    updated_at {text} NOT NULL,
    PRIMARY KEY (sku, brand)
);
CREATE TABLE IF NOT EXISTS hq_files (
    store_code {text} NOT NULL,
    sequence INTEGER NOT NULL,
    business_date DATE NOT NULL,
    digest {text} NOT NULL,
    file_name {text} NOT NULL,
    net_sales_fen BIGINT NOT NULL,
    z_numbers {text} NOT NULL,
    imported_at {text} NOT NULL,
    PRIMARY KEY (store_code, sequence)
);
CREATE UNIQUE INDEX IF NOT EXISTS hq_files_digest ON hq_files (digest);
CREATE INDEX IF NOT EXISTS hq_files_date ON hq_files (business_date, store_code);
CREATE TABLE IF NOT EXISTS hq_sales (
    store_code {text} NOT NULL,
    id {text} NOT NULL,
    business_date DATE NOT NULL,
    terminal_id {text} NOT NULL,
    kind {text} NOT NULL,
    status {text} NOT NULL,
    total BIGINT NOT NULL,
    body {text} NOT NULL,
    PRIMARY KEY (store_code, id)
);
CREATE INDEX IF NOT EXISTS hq_sales_day ON hq_sales (business_date, store_code, status, kind, total);
DROP INDEX IF EXISTS hq_sales_date;
CREATE TABLE IF NOT EXISTS hq_sale_lines (
    store_code {text} NOT NULL,
    id {text} NOT NULL,
    sale_id {text} NOT NULL,
    business_date DATE NOT NULL,
    product_id {text} NOT NULL,
    qty INTEGER NOT NULL,
    total BIGINT NOT NULL,
    body {text} NOT NULL,
    promoter_id {text} NOT NULL DEFAULT '',
    PRIMARY KEY (store_code, id)
);
CREATE INDEX IF NOT EXISTS hq_sale_lines_date ON hq_sale_lines (business_date, store_code);
CREATE TABLE IF NOT EXISTS hq_stock_movements (
    store_code {text} NOT NULL,
    id {text} NOT NULL,
    business_date DATE NOT NULL,
    product_id {text} NOT NULL,
    kind {text} NOT NULL,
    qty INTEGER NOT NULL,
    body {text} NOT NULL,
    PRIMARY KEY (store_code, id)
);
CREATE INDEX IF NOT EXISTS hq_stock_movements_product
    ON hq_stock_movements (store_code, product_id, business_date);
CREATE TABLE IF NOT EXISTS hq_stock_levels (
    store_code {text} NOT NULL,
    id {text} NOT NULL,
    business_date DATE NOT NULL,
    product_id {text} NOT NULL,
    on_hand INTEGER NOT NULL,
    body {text} NOT NULL,
    PRIMARY KEY (store_code, id)
);
CREATE INDEX IF NOT EXISTS hq_stock_levels_product
    ON hq_stock_levels (store_code, product_id, business_date);
CREATE TABLE IF NOT EXISTS hq_staff (
    store_code {text} NOT NULL,
    id {text} NOT NULL,
    code {text} NOT NULL,
    name {text} NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (store_code, id)
);
CREATE TABLE IF NOT EXISTS hq_products (
    sku {text} PRIMARY KEY,
    brand {text} NOT NULL,
    model {text} NOT NULL,
    category {text} NOT NULL
);
CREATE TABLE IF NOT EXISTS hq_store_products (
    store_code {text} NOT NULL,
    id {text} NOT NULL,
    sku {text} NOT NULL,
    PRIMARY KEY (store_code, id)
);
CREATE INDEX IF NOT EXISTS hq_store_products_sku ON hq_store_products (sku);
CREATE TABLE IF NOT EXISTS hq_records (
    store_code {text} NOT NULL,
    family {text} NOT NULL,
    id {text} NOT NULL,
    business_date DATE NOT NULL,
    seq INTEGER NOT NULL,
    body {text} NOT NULL,
    PRIMARY KEY (store_code, family, id)
);
CREATE INDEX IF NOT EXISTS hq_records_date ON hq_records (business_date, store_code);
"""

DIALECT_TYPES = {
    "sqlite": {"text": "TEXT", "bool": "INTEGER"},
    "postgresql": {"text": "TEXT", "bool": "BOOLEAN"},
}


def statements(dialect: str) -> list[str]:
    ddl = _TABLES.format(**DIALECT_TYPES[dialect])
    return [s.strip() for s in ddl.split(";") if s.strip()]


# A head office made before the promoter league and the stock reports: its sale lines had no
# promoter column and its stock movements were kept in hq_records. ALTER … ADD COLUMN with a
# default and a plain SELECT … WHERE 1 = 0 are the same SQL on both.
ADD_PROMOTER = "ALTER TABLE hq_sale_lines ADD COLUMN promoter_id TEXT NOT NULL DEFAULT ''"
