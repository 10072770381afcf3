"""Schema versions. Each migration is frozen SQL: later model changes add a migration,
they never edit an old one, so a database made by any released version upgrades itself."""

from __future__ import annotations

# Version 1: the first release's tables.
V1 = (
    """CREATE TABLE "audit_log" ("seq" INTEGER NOT NULL PRIMARY KEY, "id" VARCHAR(255) NOT NULL, "at" DATETIME NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "approved_by" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "entity" VARCHAR(255) NOT NULL, "entity_id" VARCHAR(255) NOT NULL, "before" TEXT NOT NULL, "after" TEXT NOT NULL, "prev_hash" VARCHAR(255) NOT NULL, "hash" VARCHAR(255) NOT NULL)""",
    """CREATE UNIQUE INDEX "audit_log_id" ON "audit_log" ("id")""",
    """CREATE TABLE "customer" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "phone" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL)""",
    """CREATE UNIQUE INDEX "customer_phone" ON "customer" ("phone")""",
    """CREATE TABLE "staff" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "role" VARCHAR(255) NOT NULL, "pin_hash" VARCHAR(255) NOT NULL, "failed_pins" INTEGER NOT NULL, "locked" INTEGER NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)""",
    """CREATE UNIQUE INDEX "staff_code" ON "staff" ("code")""",
    """CREATE TABLE "product" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "sku" VARCHAR(255) NOT NULL, "barcode" VARCHAR(255), "brand" VARCHAR(255) NOT NULL, "model" VARCHAR(255) NOT NULL, "colour" VARCHAR(255) NOT NULL, "storage" VARCHAR(255) NOT NULL, "category" VARCHAR(255) NOT NULL, "price" INTEGER NOT NULL, "cost" INTEGER NOT NULL, "serialized" INTEGER NOT NULL, "search_text" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)""",
    """CREATE UNIQUE INDEX "product_sku" ON "product" ("sku")""",
    """CREATE UNIQUE INDEX "product_barcode" ON "product" ("barcode")""",
    """CREATE INDEX "product_search_text" ON "product" ("search_text")""",
    """CREATE TABLE "imei_unit" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "product_id" VARCHAR(255) NOT NULL, "imei" VARCHAR(255) NOT NULL, "imei2" VARCHAR(255), "status" VARCHAR(255) NOT NULL, "cost" INTEGER NOT NULL, "received_at" DATETIME NOT NULL, FOREIGN KEY ("product_id") REFERENCES "product" ("id"))""",
    """CREATE INDEX "imei_unit_product_id" ON "imei_unit" ("product_id")""",
    """CREATE UNIQUE INDEX "imei_unit_imei" ON "imei_unit" ("imei")""",
    """CREATE UNIQUE INDEX "imei_unit_imei2" ON "imei_unit" ("imei2")""",
    """CREATE INDEX "imei_unit_status" ON "imei_unit" ("status")""",
    """CREATE TABLE "meta" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)""",
    """CREATE TABLE "receipt_counter" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "last" INTEGER NOT NULL)""",
    """CREATE TABLE "sale" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "receipt_no" VARCHAR(255) NOT NULL, "store_code" VARCHAR(255) NOT NULL, "terminal_id" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "created_at" DATETIME NOT NULL, "kind" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "customer_id" VARCHAR(255), "original_id" VARCHAR(255), "subtotal" INTEGER NOT NULL, "discount" INTEGER NOT NULL, "total" INTEGER NOT NULL, "note" TEXT NOT NULL, "acknowledged_at" DATETIME, "voided_at" DATETIME, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"), FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("original_id") REFERENCES "sale" ("id"))""",
    """CREATE UNIQUE INDEX "sale_receipt_no" ON "sale" ("receipt_no")""",
    """CREATE INDEX "sale_business_date" ON "sale" ("business_date")""",
    """CREATE INDEX "sale_staff_id" ON "sale" ("staff_id")""",
    """CREATE INDEX "sale_customer_id" ON "sale" ("customer_id")""",
    """CREATE INDEX "sale_original_id" ON "sale" ("original_id")""",
    """CREATE TABLE "sale_line" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "sale_id" VARCHAR(255) NOT NULL, "line_no" INTEGER NOT NULL, "product_id" VARCHAR(255) NOT NULL, "imei_unit_id" VARCHAR(255), "qty" INTEGER NOT NULL, "list_price" INTEGER NOT NULL, "unit_price" INTEGER NOT NULL, "discount" INTEGER NOT NULL, "total" INTEGER NOT NULL, "promoter_id" VARCHAR(255) NOT NULL, "original_line_id" VARCHAR(255), "override_reason" VARCHAR(255) NOT NULL, FOREIGN KEY ("sale_id") REFERENCES "sale" ("id") ON DELETE CASCADE, FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("imei_unit_id") REFERENCES "imei_unit" ("id"), FOREIGN KEY ("promoter_id") REFERENCES "staff" ("id"), FOREIGN KEY ("original_line_id") REFERENCES "sale_line" ("id"))""",
    """CREATE INDEX "sale_line_sale_id" ON "sale_line" ("sale_id")""",
    """CREATE INDEX "sale_line_product_id" ON "sale_line" ("product_id")""",
    """CREATE INDEX "sale_line_imei_unit_id" ON "sale_line" ("imei_unit_id")""",
    """CREATE INDEX "sale_line_promoter_id" ON "sale_line" ("promoter_id")""",
    """CREATE INDEX "sale_line_original_line_id" ON "sale_line" ("original_line_id")""",
    """CREATE TABLE "stock_movement" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "product_id" VARCHAR(255) NOT NULL, "imei_unit_id" VARCHAR(255), "kind" VARCHAR(255) NOT NULL, "qty" INTEGER NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "document" VARCHAR(255) NOT NULL, "reason" VARCHAR(255) NOT NULL, FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("imei_unit_id") REFERENCES "imei_unit" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "stock_movement_product_id" ON "stock_movement" ("product_id")""",
    """CREATE INDEX "stock_movement_imei_unit_id" ON "stock_movement" ("imei_unit_id")""",
    """CREATE INDEX "stock_movement_staff_id" ON "stock_movement" ("staff_id")""",
    """CREATE INDEX "stock_movement_document" ON "stock_movement" ("document")""",
    """CREATE TABLE "tender" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "sale_id" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "tendered" INTEGER NOT NULL, "change" INTEGER NOT NULL, "reference" VARCHAR(255) NOT NULL, FOREIGN KEY ("sale_id") REFERENCES "sale" ("id") ON DELETE CASCADE)""",
    """CREATE INDEX "tender_sale_id" ON "tender" ("sale_id")""",
)

# Version 2: suspended sales kept in the database (they used to live only in memory).
V2 = (
    """CREATE TABLE "held_cart" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "staff_id" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "label" VARCHAR(255) NOT NULL, "payload" TEXT NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "held_cart_staff_id" ON "held_cart" ("staff_id")""",
)

# Version 3: the reprint question at start-up no longer scans every sale.
V3 = (
    """CREATE INDEX "sale_unacknowledged" ON "sale" ("terminal_id", "created_at") WHERE ("acknowledged_at" IS NULL)""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3)
LATEST = len(MIGRATIONS)
