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

# Version 4: customers — search keys (pinyin, initials, the other reading of a polyphonic
# surname, last 4 digits), profile fields, contacts, follow-up tasks and RFM scores. Rows of
# older versions get their search keys from store.crm.search.fill_search_keys at open.
V4 = (
    """ALTER TABLE "customer" ADD COLUMN "py" VARCHAR(255)""",
    """ALTER TABLE "customer" ADD COLUMN "py_initials" VARCHAR(255)""",
    """ALTER TABLE "customer" ADD COLUMN "py_alt" VARCHAR(255)""",
    """ALTER TABLE "customer" ADD COLUMN "py_alt_initials" VARCHAR(255)""",
    """ALTER TABLE "customer" ADD COLUMN "phone_last4" VARCHAR(255)""",
    """ALTER TABLE "customer" ADD COLUMN "birth_year" INTEGER""",
    """ALTER TABLE "customer" ADD COLUMN "birth_month" INTEGER""",
    """ALTER TABLE "customer" ADD COLUMN "birth_day" INTEGER""",
    """ALTER TABLE "customer" ADD COLUMN "gender" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "customer" ADD COLUMN "tags" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "customer" ADD COLUMN "notes" TEXT NOT NULL DEFAULT ''""",
    """ALTER TABLE "customer" ADD COLUMN "consent_at" DATETIME""",
    """ALTER TABLE "customer" ADD COLUMN "consent_how" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "customer" ADD COLUMN "owner_id" VARCHAR(255) REFERENCES "staff" ("id")""",
    """ALTER TABLE "customer" ADD COLUMN "store_code" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "customer" ADD COLUMN "updated_at" DATETIME""",
    """ALTER TABLE "customer" ADD COLUMN "erased_at" DATETIME""",
    """CREATE INDEX "customer_name" ON "customer" ("name")""",
    """CREATE INDEX "customer_py" ON "customer" ("py")""",
    """CREATE INDEX "customer_py_initials" ON "customer" ("py_initials")""",
    """CREATE INDEX "customer_py_alt" ON "customer" ("py_alt")""",
    """CREATE INDEX "customer_py_alt_initials" ON "customer" ("py_alt_initials")""",
    """CREATE INDEX "customer_phone_last4" ON "customer" ("phone_last4")""",
    """CREATE INDEX "customer_owner_id" ON "customer" ("owner_id")""",
    """CREATE INDEX "customer_birthday" ON "customer" ("birth_month", "birth_day")""",
    """CREATE INDEX "sale_customer_value" ON "sale" ("customer_id", "status", "kind", "business_date", "total") WHERE ("customer_id" IS NOT NULL)""",
    """CREATE TABLE "customer_contact" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "customer_id" VARCHAR(255) NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "at" DATETIME NOT NULL, "channel" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "customer_contact_customer_id" ON "customer_contact" ("customer_id")""",
    """CREATE INDEX "customer_contact_staff_id" ON "customer_contact" ("staff_id")""",
    """CREATE TABLE "customer_task" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "customer_id" VARCHAR(255) NOT NULL, "owner_id" VARCHAR(255) NOT NULL, "due" DATE NOT NULL, "title" VARCHAR(255) NOT NULL, "rule" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, "done_at" DATETIME, "done_by" VARCHAR(255) NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("owner_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "customer_task_customer_id" ON "customer_task" ("customer_id")""",
    """CREATE UNIQUE INDEX "customer_task_rule_source" ON "customer_task" ("rule", "source")""",
    """CREATE INDEX "customer_task_owner_status_due" ON "customer_task" ("owner_id", "status", "due")""",
    """CREATE TABLE "customer_score" ("customer_id" VARCHAR(255) NOT NULL PRIMARY KEY, "first_purchase" DATE NOT NULL, "last_purchase" DATE NOT NULL, "recency_days" INTEGER NOT NULL, "frequency" INTEGER NOT NULL, "monetary" INTEGER NOT NULL, "lifetime" INTEGER NOT NULL, "r" INTEGER NOT NULL, "f" INTEGER NOT NULL, "m" INTEGER NOT NULL, "tier" VARCHAR(255) NOT NULL, "state" VARCHAR(255) NOT NULL, "computed_at" DATETIME NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"))""",
)

# Version 5: promoters — staff profile (ladder level, brand, home store, status), training
# records, weekly rosters, leave, the time clock and monthly sales targets.
V5 = (
    """ALTER TABLE "staff" ADD COLUMN "level" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "staff" ADD COLUMN "brand" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "staff" ADD COLUMN "home_store" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "staff" ADD COLUMN "status" VARCHAR(255) NOT NULL DEFAULT 'active'""",
    """UPDATE "staff" SET "status" = 'left' WHERE "active" = 0""",
    """CREATE TABLE "training_record" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "staff_id" VARCHAR(255) NOT NULL, "course" VARCHAR(255) NOT NULL, "taken_on" DATE NOT NULL, "result" VARCHAR(255) NOT NULL, "note" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "training_record_staff_id" ON "training_record" ("staff_id")""",
    """CREATE TABLE "roster_week" ("week" VARCHAR(255) NOT NULL PRIMARY KEY, "status" VARCHAR(255) NOT NULL, "published_at" DATETIME, "published_by" VARCHAR(255) NOT NULL, "updated_at" DATETIME NOT NULL)""",
    """CREATE TABLE "roster_entry" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "day" DATE NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "shift_code" VARCHAR(255) NOT NULL, "start_minute" INTEGER NOT NULL, "end_minute" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "roster_entry_day" ON "roster_entry" ("day")""",
    """CREATE INDEX "roster_entry_staff_id" ON "roster_entry" ("staff_id")""",
    """CREATE TABLE "leave_request" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "staff_id" VARCHAR(255) NOT NULL, "first_day" DATE NOT NULL, "last_day" DATE NOT NULL, "reason" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, "decided_by" VARCHAR(255) NOT NULL, "decided_at" DATETIME, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "leave_request_staff_id" ON "leave_request" ("staff_id")""",
    """CREATE TABLE "time_entry" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "staff_id" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "clock_in" DATETIME NOT NULL, "clock_out" DATETIME, "corrected_by" VARCHAR(255) NOT NULL, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "time_entry_staff_id" ON "time_entry" ("staff_id")""",
    """CREATE INDEX "time_entry_business_date" ON "time_entry" ("business_date")""",
    """CREATE TABLE "sales_target" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "month" VARCHAR(255) NOT NULL, "staff_id" VARCHAR(255), "brand" VARCHAR(255) NOT NULL, "units" INTEGER NOT NULL, "amount" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "sales_target_month" ON "sales_target" ("month")""",
    """CREATE INDEX "sales_target_staff_id" ON "sales_target" ("staff_id")""",
    """CREATE TABLE "promoter_day_sales" ("business_date" DATE NOT NULL, "promoter_id" VARCHAR(255) NOT NULL, "product_id" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "qty" INTEGER NOT NULL, PRIMARY KEY ("business_date", "promoter_id", "product_id")) WITHOUT ROWID""",
)

# Version 6: stock counts and reorder — a shelf on products, one covering index for the stock
# ledger (on-hand, last sale and daily demand of every product without reading the table),
# suppliers, purchase orders, deliveries received, transfers between stores, and counts.
V6 = (
    """ALTER TABLE "product" ADD COLUMN "shelf" VARCHAR(255) NOT NULL DEFAULT ''""",
    'DROP INDEX "stock_movement_product_id"',
    """CREATE INDEX "stock_movement_product_ledger" ON "stock_movement" ("product_id", "kind", "created_at", "qty")""",
    """CREATE TABLE "supplier" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "channel" VARCHAR(255) NOT NULL, "lead_time_days" INTEGER NOT NULL, "phone" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)""",
    """CREATE UNIQUE INDEX "supplier_code" ON "supplier" ("code")""",
    """CREATE TABLE "supplier_item" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "product_id" VARCHAR(255) NOT NULL, "supplier_id" VARCHAR(255) NOT NULL, "pack_size" INTEGER NOT NULL, FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"))""",
    """CREATE UNIQUE INDEX "supplier_item_product_id" ON "supplier_item" ("product_id")""",
    """CREATE INDEX "supplier_item_supplier_id" ON "supplier_item" ("supplier_id")""",
    """CREATE TABLE "purchase_order" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "number" VARCHAR(255) NOT NULL, "supplier_id" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"))""",
    """CREATE UNIQUE INDEX "purchase_order_number" ON "purchase_order" ("number")""",
    """CREATE INDEX "purchase_order_supplier_id" ON "purchase_order" ("supplier_id")""",
    """CREATE TABLE "purchase_order_line" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "order_id" VARCHAR(255) NOT NULL, "product_id" VARCHAR(255) NOT NULL, "qty" INTEGER NOT NULL, "received" INTEGER NOT NULL, "cost" INTEGER NOT NULL, FOREIGN KEY ("order_id") REFERENCES "purchase_order" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"))""",
    """CREATE INDEX "purchase_order_line_order_id" ON "purchase_order_line" ("order_id")""",
    """CREATE INDEX "purchase_order_line_product_id" ON "purchase_order_line" ("product_id")""",
    """CREATE TABLE "goods_receipt" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "supplier_id" VARCHAR(255), "invoice_no" VARCHAR(255) NOT NULL, "order_id" VARCHAR(255), "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"), FOREIGN KEY ("order_id") REFERENCES "purchase_order" ("id"))""",
    """CREATE INDEX "goods_receipt_order_id" ON "goods_receipt" ("order_id")""",
    """CREATE INDEX "goods_receipt_supplier_id" ON "goods_receipt" ("supplier_id")""",
    """CREATE TABLE "goods_receipt_line" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "receipt_id" VARCHAR(255) NOT NULL, "product_id" VARCHAR(255) NOT NULL, "qty" INTEGER NOT NULL, "cost" INTEGER NOT NULL, FOREIGN KEY ("receipt_id") REFERENCES "goods_receipt" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"))""",
    """CREATE INDEX "goods_receipt_line_product_id" ON "goods_receipt_line" ("product_id")""",
    """CREATE INDEX "goods_receipt_line_receipt_id" ON "goods_receipt_line" ("receipt_id")""",
    """CREATE TABLE "stock_transfer" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "number" VARCHAR(255) NOT NULL, "direction" VARCHAR(255) NOT NULL, "from_store" VARCHAR(255) NOT NULL, "to_store" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, "received_at" DATETIME, "note" VARCHAR(255) NOT NULL)""",
    """CREATE TABLE "stock_count" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "number" VARCHAR(255) NOT NULL, "scope_kind" VARCHAR(255) NOT NULL, "scope_value" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" VARCHAR(255) NOT NULL, "snapshot_at" DATETIME NOT NULL, "closed_at" DATETIME, "closed_by" VARCHAR(255) NOT NULL, "approved_at" DATETIME, "approved_by" VARCHAR(255) NOT NULL, "note" VARCHAR(255) NOT NULL)""",
    """CREATE UNIQUE INDEX "stock_count_number" ON "stock_count" ("number")""",
    """CREATE INDEX "stock_count_status" ON "stock_count" ("status")""",
    """CREATE TABLE "stock_count_item" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "count_id" VARCHAR(255) NOT NULL, "product_id" VARCHAR(255) NOT NULL, "snapshot_qty" INTEGER NOT NULL, "expected_qty" INTEGER, "counted_qty" INTEGER, "adjusted_qty" INTEGER, FOREIGN KEY ("count_id") REFERENCES "stock_count" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"))""",
    """CREATE UNIQUE INDEX "stock_count_item_count_product" ON "stock_count_item" ("count_id", "product_id")""",
    """CREATE INDEX "stock_count_item_product_id" ON "stock_count_item" ("product_id")""",
    """CREATE TABLE "stock_count_entry" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "count_id" VARCHAR(255) NOT NULL, "product_id" VARCHAR(255) NOT NULL, "imei_unit_id" VARCHAR(255), "imei" VARCHAR(255), "qty" INTEGER NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("count_id") REFERENCES "stock_count" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("imei_unit_id") REFERENCES "imei_unit" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE UNIQUE INDEX "stock_count_entry_count_imei" ON "stock_count_entry" ("count_id", "imei")""",
    """CREATE INDEX "stock_count_entry_imei_unit_id" ON "stock_count_entry" ("imei_unit_id")""",
    """CREATE INDEX "stock_count_entry_product_id" ON "stock_count_entry" ("product_id")""",
    """CREATE INDEX "stock_count_entry_staff_id" ON "stock_count_entry" ("staff_id")""",
)

# Version 7: referral rewards (老带新) — each customer's referral code (filled for older rows by
# store.referrals.codes.fill_codes at open), the referral links, the reward ledger and the
# vouchers spent or given back.
V7 = (
    """ALTER TABLE "customer" ADD COLUMN "referral_code" VARCHAR(255)""",
    """CREATE UNIQUE INDEX "customer_referral_code" ON "customer" ("referral_code")""",
    """CREATE TABLE "referral" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "referrer_id" VARCHAR(255) NOT NULL, "referee_id" VARCHAR(255) NOT NULL, "sale_id" VARCHAR(255) NOT NULL, "staff_id" VARCHAR(255) NOT NULL, "store_code" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "created_at" DATETIME NOT NULL, "status" VARCHAR(255) NOT NULL, "rule" VARCHAR(255) NOT NULL, "capped" INTEGER NOT NULL, FOREIGN KEY ("referrer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("referee_id") REFERENCES "customer" ("id"), FOREIGN KEY ("sale_id") REFERENCES "sale" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "referral_referrer_id" ON "referral" ("referrer_id")""",
    """CREATE INDEX "referral_sale_id" ON "referral" ("sale_id")""",
    """CREATE INDEX "referral_business_date" ON "referral" ("business_date")""",
    """CREATE UNIQUE INDEX "referral_one_per_referee" ON "referral" ("referee_id") WHERE ("status" = 'active')""",
    """CREATE TABLE "referral_reward" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "referral_id" VARCHAR(255) NOT NULL, "sale_id" VARCHAR(255) NOT NULL, "customer_id" VARCHAR(255) NOT NULL, "side" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "used" INTEGER NOT NULL, "gift" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "earn_on" DATE NOT NULL, "earned_at" DATETIME, "expires_on" DATE, "closed_at" DATETIME, "handed_by_id" VARCHAR(255), "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("referral_id") REFERENCES "referral" ("id"), FOREIGN KEY ("sale_id") REFERENCES "sale" ("id"), FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("handed_by_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "referral_reward_referral_id" ON "referral_reward" ("referral_id")""",
    """CREATE INDEX "referral_reward_sale_id" ON "referral_reward" ("sale_id")""",
    """CREATE INDEX "referral_reward_customer_status" ON "referral_reward" ("customer_id", "status")""",
    """CREATE INDEX "referral_reward_status_earn_on" ON "referral_reward" ("status", "earn_on")""",
    """CREATE TABLE "voucher_use" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "reward_id" VARCHAR(255) NOT NULL, "sale_id" VARCHAR(255) NOT NULL, "tender_id" VARCHAR(255), "amount" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("reward_id") REFERENCES "referral_reward" ("id"), FOREIGN KEY ("sale_id") REFERENCES "sale" ("id"), FOREIGN KEY ("tender_id") REFERENCES "tender" ("id"))""",
    """CREATE INDEX "voucher_use_reward_id" ON "voucher_use" ("reward_id")""",
    """CREATE INDEX "voucher_use_sale_id" ON "voucher_use" ("sale_id")""",
)

# Version 8: staff administration — when an account was locked (the last manager's lock runs
# out after a cooling-off period), wrong PINs typed in approval dialogs counted apart from the
# person's own logins, and a per-person discount limit beside the role's.
V8 = (
    """ALTER TABLE "staff" ADD COLUMN "locked_at" DATETIME""",
    """ALTER TABLE "staff" ADD COLUMN "failed_approvals" INTEGER NOT NULL DEFAULT 0""",
    """ALTER TABLE "staff" ADD COLUMN "discount_limit" INTEGER""",
)

# Version 9: each sale keeps the fingerprint of the cart it was committed from, so committing
# the same cart id with other content (or after a void) is refused instead of answered with
# the old sale. Older sales keep '' and are compared by their total.
V9 = ("""ALTER TABLE "sale" ADD COLUMN "fingerprint" VARCHAR(255) NOT NULL DEFAULT ''""",)

# Version 10: ids kept as their 16 bytes instead of 36 characters of text (store.kernel.ids),
# in every table, index and column that holds one: each table is copied into a new one, the
# ids converted by id_bytes() (store.kernel.ids.to_db, registered by the migration), its SQL
# defaults kept, and its indexes built again. Run with foreign keys off, in one transaction,
# then vacuumed (REBUILDS). The indexes were reviewed against the queries that use them:
# stock_movement is kept in ledger order (product, kind, time, id) without a rowid, so the
# ledger, id, staff and document indexes go (a transfer's movements have a partial index);
# nullable references (a return's original, a handset's unit) are indexed only where set;
# nothing reads sales by cashier or customer alone (sale_customer_value serves the customer),
# nor lines by product or promoter. 1,234 bytes a sale line on the large demo become about 500.
V10 = (
    """CREATE TABLE "staff__v10" ("id" BLOB NOT NULL PRIMARY KEY, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "role" VARCHAR(255) NOT NULL, "pin_hash" VARCHAR(255) NOT NULL, "failed_pins" INTEGER NOT NULL, "locked" INTEGER NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "level" VARCHAR(255) NOT NULL DEFAULT '', "brand" VARCHAR(255) NOT NULL DEFAULT '', "home_store" VARCHAR(255) NOT NULL DEFAULT '', "status" VARCHAR(255) NOT NULL DEFAULT 'active', "locked_at" DATETIME, "failed_approvals" INTEGER NOT NULL DEFAULT 0, "discount_limit" INTEGER)""",
    'INSERT INTO "staff__v10" ("id", "code", "name", "role", "pin_hash", "failed_pins", "locked", "active", "created_at", "level", "brand", "home_store", "status", "locked_at", "failed_approvals", "discount_limit") SELECT id_bytes("id"), "code", "name", "role", "pin_hash", "failed_pins", "locked", "active", "created_at", "level", "brand", "home_store", "status", "locked_at", "failed_approvals", "discount_limit" FROM "staff"',
    'DROP TABLE "staff"',
    'ALTER TABLE "staff__v10" RENAME TO "staff"',
    'CREATE UNIQUE INDEX "staff_code" ON "staff" ("code")',
    """CREATE TABLE "product__v10" ("id" BLOB NOT NULL PRIMARY KEY, "sku" VARCHAR(255) NOT NULL, "barcode" VARCHAR(255), "brand" VARCHAR(255) NOT NULL, "model" VARCHAR(255) NOT NULL, "colour" VARCHAR(255) NOT NULL, "storage" VARCHAR(255) NOT NULL, "category" VARCHAR(255) NOT NULL, "price" INTEGER NOT NULL, "cost" INTEGER NOT NULL, "serialized" INTEGER NOT NULL, "search_text" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "shelf" VARCHAR(255) NOT NULL DEFAULT '')""",
    'INSERT INTO "product__v10" ("id", "sku", "barcode", "brand", "model", "colour", "storage", "category", "price", "cost", "serialized", "search_text", "active", "created_at", "shelf") SELECT id_bytes("id"), "sku", "barcode", "brand", "model", "colour", "storage", "category", "price", "cost", "serialized", "search_text", "active", "created_at", "shelf" FROM "product"',
    'DROP TABLE "product"',
    'ALTER TABLE "product__v10" RENAME TO "product"',
    'CREATE UNIQUE INDEX "product_sku" ON "product" ("sku")',
    'CREATE UNIQUE INDEX "product_barcode" ON "product" ("barcode")',
    'CREATE INDEX "product_search_text" ON "product" ("search_text")',
    'CREATE TABLE "imei_unit__v10" ("id" BLOB NOT NULL PRIMARY KEY, "product_id" BLOB NOT NULL, "imei" VARCHAR(255) NOT NULL, "imei2" VARCHAR(255), "status" VARCHAR(255) NOT NULL, "cost" INTEGER NOT NULL, "received_at" DATETIME NOT NULL, FOREIGN KEY ("product_id") REFERENCES "product" ("id"))',
    'INSERT INTO "imei_unit__v10" ("id", "product_id", "imei", "imei2", "status", "cost", "received_at") SELECT id_bytes("id"), id_bytes("product_id"), "imei", "imei2", "status", "cost", "received_at" FROM "imei_unit"',
    'DROP TABLE "imei_unit"',
    'ALTER TABLE "imei_unit__v10" RENAME TO "imei_unit"',
    'CREATE INDEX "imei_unit_product_id" ON "imei_unit" ("product_id")',
    'CREATE UNIQUE INDEX "imei_unit_imei" ON "imei_unit" ("imei")',
    'CREATE UNIQUE INDEX "imei_unit_imei2" ON "imei_unit" ("imei2")',
    'CREATE INDEX "imei_unit_status" ON "imei_unit" ("status")',
    """CREATE TABLE "customer__v10" ("id" BLOB NOT NULL PRIMARY KEY, "phone" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "py" VARCHAR(255), "py_initials" VARCHAR(255), "py_alt" VARCHAR(255), "py_alt_initials" VARCHAR(255), "phone_last4" VARCHAR(255), "birth_year" INTEGER, "birth_month" INTEGER, "birth_day" INTEGER, "gender" VARCHAR(255) NOT NULL DEFAULT '', "tags" VARCHAR(255) NOT NULL DEFAULT '', "notes" TEXT NOT NULL DEFAULT '', "consent_at" DATETIME, "consent_how" VARCHAR(255) NOT NULL DEFAULT '', "owner_id" BLOB, "store_code" VARCHAR(255) NOT NULL DEFAULT '', "updated_at" DATETIME, "erased_at" DATETIME, "referral_code" VARCHAR(255), FOREIGN KEY ("owner_id") REFERENCES "staff" ("id"))""",
    'INSERT INTO "customer__v10" ("id", "phone", "name", "created_at", "py", "py_initials", "py_alt", "py_alt_initials", "phone_last4", "birth_year", "birth_month", "birth_day", "gender", "tags", "notes", "consent_at", "consent_how", "owner_id", "store_code", "updated_at", "erased_at", "referral_code") SELECT id_bytes("id"), "phone", "name", "created_at", "py", "py_initials", "py_alt", "py_alt_initials", "phone_last4", "birth_year", "birth_month", "birth_day", "gender", "tags", "notes", "consent_at", "consent_how", id_bytes("owner_id"), "store_code", "updated_at", "erased_at", "referral_code" FROM "customer"',
    'DROP TABLE "customer"',
    'ALTER TABLE "customer__v10" RENAME TO "customer"',
    'CREATE UNIQUE INDEX "customer_phone" ON "customer" ("phone")',
    'CREATE INDEX "customer_name" ON "customer" ("name")',
    'CREATE INDEX "customer_py" ON "customer" ("py")',
    'CREATE INDEX "customer_py_initials" ON "customer" ("py_initials")',
    'CREATE INDEX "customer_py_alt" ON "customer" ("py_alt")',
    'CREATE INDEX "customer_py_alt_initials" ON "customer" ("py_alt_initials")',
    'CREATE INDEX "customer_phone_last4" ON "customer" ("phone_last4")',
    'CREATE INDEX "customer_owner_id" ON "customer" ("owner_id")',
    'CREATE UNIQUE INDEX "customer_referral_code" ON "customer" ("referral_code")',
    'CREATE INDEX "customer_birthday" ON "customer" ("birth_month", "birth_day")',
    """CREATE TABLE "sale__v10" ("id" BLOB NOT NULL PRIMARY KEY, "receipt_no" VARCHAR(255) NOT NULL, "store_code" VARCHAR(255) NOT NULL, "terminal_id" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "created_at" DATETIME NOT NULL, "kind" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "staff_id" BLOB NOT NULL, "customer_id" BLOB, "original_id" BLOB, "subtotal" INTEGER NOT NULL, "discount" INTEGER NOT NULL, "total" INTEGER NOT NULL, "note" TEXT NOT NULL, "acknowledged_at" DATETIME, "voided_at" DATETIME, "fingerprint" VARCHAR(255) NOT NULL DEFAULT '', FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"), FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("original_id") REFERENCES "sale" ("id"))""",
    'INSERT INTO "sale__v10" ("id", "receipt_no", "store_code", "terminal_id", "business_date", "created_at", "kind", "status", "staff_id", "customer_id", "original_id", "subtotal", "discount", "total", "note", "acknowledged_at", "voided_at", "fingerprint") SELECT id_bytes("id"), "receipt_no", "store_code", "terminal_id", "business_date", "created_at", "kind", "status", id_bytes("staff_id"), id_bytes("customer_id"), id_bytes("original_id"), "subtotal", "discount", "total", "note", "acknowledged_at", "voided_at", "fingerprint" FROM "sale"',
    'DROP TABLE "sale"',
    'ALTER TABLE "sale__v10" RENAME TO "sale"',
    'CREATE UNIQUE INDEX "sale_receipt_no" ON "sale" ("receipt_no")',
    'CREATE INDEX "sale_business_date" ON "sale" ("business_date")',
    'CREATE INDEX "sale_customer_value" ON "sale" ("customer_id", "status", "kind", "business_date", "total") WHERE ("customer_id" IS NOT NULL)',
    'CREATE INDEX "sale_original_id" ON "sale" ("original_id") WHERE ("original_id" IS NOT NULL)',
    'CREATE INDEX "sale_unacknowledged" ON "sale" ("terminal_id", "created_at") WHERE ("acknowledged_at" IS NULL)',
    'CREATE TABLE "sale_line__v10" ("id" BLOB NOT NULL PRIMARY KEY, "sale_id" BLOB NOT NULL, "line_no" INTEGER NOT NULL, "product_id" BLOB NOT NULL, "imei_unit_id" BLOB, "qty" INTEGER NOT NULL, "list_price" INTEGER NOT NULL, "unit_price" INTEGER NOT NULL, "discount" INTEGER NOT NULL, "total" INTEGER NOT NULL, "promoter_id" BLOB NOT NULL, "original_line_id" BLOB, "override_reason" VARCHAR(255) NOT NULL, FOREIGN KEY ("sale_id") REFERENCES "sale" ("id") ON DELETE CASCADE, FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("imei_unit_id") REFERENCES "imei_unit" ("id"), FOREIGN KEY ("promoter_id") REFERENCES "staff" ("id"), FOREIGN KEY ("original_line_id") REFERENCES "sale_line" ("id"))',
    'INSERT INTO "sale_line__v10" ("id", "sale_id", "line_no", "product_id", "imei_unit_id", "qty", "list_price", "unit_price", "discount", "total", "promoter_id", "original_line_id", "override_reason") SELECT id_bytes("id"), id_bytes("sale_id"), "line_no", id_bytes("product_id"), id_bytes("imei_unit_id"), "qty", "list_price", "unit_price", "discount", "total", id_bytes("promoter_id"), id_bytes("original_line_id"), "override_reason" FROM "sale_line"',
    'DROP TABLE "sale_line"',
    'ALTER TABLE "sale_line__v10" RENAME TO "sale_line"',
    'CREATE INDEX "sale_line_sale_id" ON "sale_line" ("sale_id")',
    'CREATE INDEX "sale_line_imei_unit_id" ON "sale_line" ("imei_unit_id") WHERE ("imei_unit_id" IS NOT NULL)',
    'CREATE INDEX "sale_line_original_line_id" ON "sale_line" ("original_line_id") WHERE ("original_line_id" IS NOT NULL)',
    'CREATE TABLE "tender__v10" ("id" BLOB NOT NULL PRIMARY KEY, "sale_id" BLOB NOT NULL, "kind" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "tendered" INTEGER NOT NULL, "change" INTEGER NOT NULL, "reference" VARCHAR(255) NOT NULL, FOREIGN KEY ("sale_id") REFERENCES "sale" ("id") ON DELETE CASCADE)',
    'INSERT INTO "tender__v10" ("id", "sale_id", "kind", "amount", "tendered", "change", "reference") SELECT id_bytes("id"), id_bytes("sale_id"), "kind", "amount", "tendered", "change", "reference" FROM "tender"',
    'DROP TABLE "tender"',
    'ALTER TABLE "tender__v10" RENAME TO "tender"',
    'CREATE INDEX "tender_sale_id" ON "tender" ("sale_id")',
    'CREATE TABLE "held_cart__v10" ("id" BLOB NOT NULL PRIMARY KEY, "staff_id" BLOB NOT NULL, "created_at" DATETIME NOT NULL, "label" VARCHAR(255) NOT NULL, "payload" TEXT NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "held_cart__v10" ("id", "staff_id", "created_at", "label", "payload") SELECT id_bytes("id"), id_bytes("staff_id"), "created_at", "label", "payload" FROM "held_cart"',
    'DROP TABLE "held_cart"',
    'ALTER TABLE "held_cart__v10" RENAME TO "held_cart"',
    'CREATE INDEX "held_cart_staff_id" ON "held_cart" ("staff_id")',
    'CREATE TABLE "stock_movement__v10" ("id" BLOB NOT NULL, "product_id" BLOB NOT NULL, "imei_unit_id" BLOB, "kind" VARCHAR(255) NOT NULL, "qty" INTEGER NOT NULL, "staff_id" BLOB NOT NULL, "created_at" DATETIME NOT NULL, "document" BLOB NOT NULL, "reason" VARCHAR(255) NOT NULL, PRIMARY KEY ("product_id", "kind", "created_at", "id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("imei_unit_id") REFERENCES "imei_unit" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id")) WITHOUT ROWID',
    'INSERT INTO "stock_movement__v10" ("id", "product_id", "imei_unit_id", "kind", "qty", "staff_id", "created_at", "document", "reason") SELECT id_bytes("id"), id_bytes("product_id"), id_bytes("imei_unit_id"), "kind", "qty", id_bytes("staff_id"), "created_at", id_bytes("document"), "reason" FROM "stock_movement" ORDER BY "product_id", "kind", "created_at", "id"',
    'DROP TABLE "stock_movement"',
    'ALTER TABLE "stock_movement__v10" RENAME TO "stock_movement"',
    'CREATE INDEX "stock_movement_imei_unit_id" ON "stock_movement" ("imei_unit_id") WHERE ("imei_unit_id" IS NOT NULL)',
    """CREATE INDEX "stock_movement_transfer_out" ON "stock_movement" ("document") WHERE ("kind" = 'transfer_out')""",
    'CREATE TABLE "audit_log__v10" ("seq" INTEGER NOT NULL PRIMARY KEY, "id" BLOB NOT NULL, "at" DATETIME NOT NULL, "staff_id" BLOB NOT NULL, "approved_by" BLOB NOT NULL, "action" VARCHAR(255) NOT NULL, "entity" VARCHAR(255) NOT NULL, "entity_id" BLOB NOT NULL, "before" TEXT NOT NULL, "after" TEXT NOT NULL, "prev_hash" VARCHAR(255) NOT NULL, "hash" VARCHAR(255) NOT NULL)',
    'INSERT INTO "audit_log__v10" ("seq", "id", "at", "staff_id", "approved_by", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash") SELECT "seq", id_bytes("id"), "at", id_bytes("staff_id"), id_bytes("approved_by"), "action", "entity", id_bytes("entity_id"), "before", "after", "prev_hash", "hash" FROM "audit_log"',
    'DROP TABLE "audit_log"',
    'ALTER TABLE "audit_log__v10" RENAME TO "audit_log"',
    'CREATE UNIQUE INDEX "audit_log_id" ON "audit_log" ("id")',
    'CREATE TABLE "customer_contact__v10" ("id" BLOB NOT NULL PRIMARY KEY, "customer_id" BLOB NOT NULL, "staff_id" BLOB NOT NULL, "at" DATETIME NOT NULL, "channel" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "customer_contact__v10" ("id", "customer_id", "staff_id", "at", "channel", "note") SELECT id_bytes("id"), id_bytes("customer_id"), id_bytes("staff_id"), "at", "channel", "note" FROM "customer_contact"',
    'DROP TABLE "customer_contact"',
    'ALTER TABLE "customer_contact__v10" RENAME TO "customer_contact"',
    'CREATE INDEX "customer_contact_customer_id" ON "customer_contact" ("customer_id")',
    'CREATE INDEX "customer_contact_staff_id" ON "customer_contact" ("staff_id")',
    'CREATE TABLE "customer_task__v10" ("id" BLOB NOT NULL PRIMARY KEY, "customer_id" BLOB NOT NULL, "owner_id" BLOB NOT NULL, "due" DATE NOT NULL, "title" VARCHAR(255) NOT NULL, "rule" VARCHAR(255) NOT NULL, "source" BLOB NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, "done_at" DATETIME, "done_by" BLOB NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("owner_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "customer_task__v10" ("id", "customer_id", "owner_id", "due", "title", "rule", "source", "status", "created_at", "created_by", "done_at", "done_by") SELECT id_bytes("id"), id_bytes("customer_id"), id_bytes("owner_id"), "due", "title", "rule", id_bytes("source"), "status", "created_at", id_bytes("created_by"), "done_at", id_bytes("done_by") FROM "customer_task"',
    'DROP TABLE "customer_task"',
    'ALTER TABLE "customer_task__v10" RENAME TO "customer_task"',
    'CREATE INDEX "customer_task_customer_id" ON "customer_task" ("customer_id")',
    'CREATE UNIQUE INDEX "customer_task_rule_source" ON "customer_task" ("rule", "source")',
    'CREATE INDEX "customer_task_owner_status_due" ON "customer_task" ("owner_id", "status", "due")',
    'CREATE TABLE "customer_score__v10" ("customer_id" BLOB NOT NULL PRIMARY KEY, "first_purchase" DATE NOT NULL, "last_purchase" DATE NOT NULL, "recency_days" INTEGER NOT NULL, "frequency" INTEGER NOT NULL, "monetary" INTEGER NOT NULL, "lifetime" INTEGER NOT NULL, "r" INTEGER NOT NULL, "f" INTEGER NOT NULL, "m" INTEGER NOT NULL, "tier" VARCHAR(255) NOT NULL, "state" VARCHAR(255) NOT NULL, "computed_at" DATETIME NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"))',
    'INSERT INTO "customer_score__v10" ("customer_id", "first_purchase", "last_purchase", "recency_days", "frequency", "monetary", "lifetime", "r", "f", "m", "tier", "state", "computed_at") SELECT id_bytes("customer_id"), "first_purchase", "last_purchase", "recency_days", "frequency", "monetary", "lifetime", "r", "f", "m", "tier", "state", "computed_at" FROM "customer_score"',
    'DROP TABLE "customer_score"',
    'ALTER TABLE "customer_score__v10" RENAME TO "customer_score"',
    'CREATE TABLE "training_record__v10" ("id" BLOB NOT NULL PRIMARY KEY, "staff_id" BLOB NOT NULL, "course" VARCHAR(255) NOT NULL, "taken_on" DATE NOT NULL, "result" VARCHAR(255) NOT NULL, "note" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "training_record__v10" ("id", "staff_id", "course", "taken_on", "result", "note", "created_at", "created_by") SELECT id_bytes("id"), id_bytes("staff_id"), "course", "taken_on", "result", "note", "created_at", id_bytes("created_by") FROM "training_record"',
    'DROP TABLE "training_record"',
    'ALTER TABLE "training_record__v10" RENAME TO "training_record"',
    'CREATE INDEX "training_record_staff_id" ON "training_record" ("staff_id")',
    'CREATE TABLE "roster_week__v10" ("week" VARCHAR(255) NOT NULL PRIMARY KEY, "status" VARCHAR(255) NOT NULL, "published_at" DATETIME, "published_by" BLOB NOT NULL, "updated_at" DATETIME NOT NULL)',
    'INSERT INTO "roster_week__v10" ("week", "status", "published_at", "published_by", "updated_at") SELECT "week", "status", "published_at", id_bytes("published_by"), "updated_at" FROM "roster_week"',
    'DROP TABLE "roster_week"',
    'ALTER TABLE "roster_week__v10" RENAME TO "roster_week"',
    'CREATE TABLE "roster_entry__v10" ("id" BLOB NOT NULL PRIMARY KEY, "day" DATE NOT NULL, "staff_id" BLOB NOT NULL, "shift_code" VARCHAR(255) NOT NULL, "start_minute" INTEGER NOT NULL, "end_minute" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "roster_entry__v10" ("id", "day", "staff_id", "shift_code", "start_minute", "end_minute", "created_at") SELECT id_bytes("id"), "day", id_bytes("staff_id"), "shift_code", "start_minute", "end_minute", "created_at" FROM "roster_entry"',
    'DROP TABLE "roster_entry"',
    'ALTER TABLE "roster_entry__v10" RENAME TO "roster_entry"',
    'CREATE INDEX "roster_entry_day" ON "roster_entry" ("day")',
    'CREATE INDEX "roster_entry_staff_id" ON "roster_entry" ("staff_id")',
    'CREATE TABLE "leave_request__v10" ("id" BLOB NOT NULL PRIMARY KEY, "staff_id" BLOB NOT NULL, "first_day" DATE NOT NULL, "last_day" DATE NOT NULL, "reason" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, "decided_by" BLOB NOT NULL, "decided_at" DATETIME, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "leave_request__v10" ("id", "staff_id", "first_day", "last_day", "reason", "status", "created_at", "created_by", "decided_by", "decided_at") SELECT id_bytes("id"), id_bytes("staff_id"), "first_day", "last_day", "reason", "status", "created_at", id_bytes("created_by"), id_bytes("decided_by"), "decided_at" FROM "leave_request"',
    'DROP TABLE "leave_request"',
    'ALTER TABLE "leave_request__v10" RENAME TO "leave_request"',
    'CREATE INDEX "leave_request_staff_id" ON "leave_request" ("staff_id")',
    'CREATE TABLE "time_entry__v10" ("id" BLOB NOT NULL PRIMARY KEY, "staff_id" BLOB NOT NULL, "business_date" DATE NOT NULL, "clock_in" DATETIME NOT NULL, "clock_out" DATETIME, "corrected_by" BLOB NOT NULL, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "time_entry__v10" ("id", "staff_id", "business_date", "clock_in", "clock_out", "corrected_by", "note") SELECT id_bytes("id"), id_bytes("staff_id"), "business_date", "clock_in", "clock_out", id_bytes("corrected_by"), "note" FROM "time_entry"',
    'DROP TABLE "time_entry"',
    'ALTER TABLE "time_entry__v10" RENAME TO "time_entry"',
    'CREATE INDEX "time_entry_staff_id" ON "time_entry" ("staff_id")',
    'CREATE INDEX "time_entry_business_date" ON "time_entry" ("business_date")',
    'CREATE TABLE "sales_target__v10" ("id" BLOB NOT NULL PRIMARY KEY, "month" VARCHAR(255) NOT NULL, "staff_id" BLOB, "brand" VARCHAR(255) NOT NULL, "units" INTEGER NOT NULL, "amount" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "sales_target__v10" ("id", "month", "staff_id", "brand", "units", "amount", "created_at", "created_by") SELECT id_bytes("id"), "month", id_bytes("staff_id"), "brand", "units", "amount", "created_at", id_bytes("created_by") FROM "sales_target"',
    'DROP TABLE "sales_target"',
    'ALTER TABLE "sales_target__v10" RENAME TO "sales_target"',
    'CREATE INDEX "sales_target_month" ON "sales_target" ("month")',
    'CREATE INDEX "sales_target_staff_id" ON "sales_target" ("staff_id")',
    'CREATE TABLE "promoter_day_sales__v10" ("business_date" DATE NOT NULL, "promoter_id" BLOB NOT NULL, "product_id" BLOB NOT NULL, "amount" INTEGER NOT NULL, "qty" INTEGER NOT NULL, PRIMARY KEY ("business_date", "promoter_id", "product_id")) WITHOUT ROWID',
    'INSERT INTO "promoter_day_sales__v10" ("business_date", "promoter_id", "product_id", "amount", "qty") SELECT "business_date", id_bytes("promoter_id"), id_bytes("product_id"), "amount", "qty" FROM "promoter_day_sales"',
    'DROP TABLE "promoter_day_sales"',
    'ALTER TABLE "promoter_day_sales__v10" RENAME TO "promoter_day_sales"',
    'CREATE TABLE "supplier__v10" ("id" BLOB NOT NULL PRIMARY KEY, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "channel" VARCHAR(255) NOT NULL, "lead_time_days" INTEGER NOT NULL, "phone" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)',
    'INSERT INTO "supplier__v10" ("id", "code", "name", "channel", "lead_time_days", "phone", "active", "created_at") SELECT id_bytes("id"), "code", "name", "channel", "lead_time_days", "phone", "active", "created_at" FROM "supplier"',
    'DROP TABLE "supplier"',
    'ALTER TABLE "supplier__v10" RENAME TO "supplier"',
    'CREATE UNIQUE INDEX "supplier_code" ON "supplier" ("code")',
    'CREATE TABLE "supplier_item__v10" ("id" BLOB NOT NULL PRIMARY KEY, "product_id" BLOB NOT NULL, "supplier_id" BLOB NOT NULL, "pack_size" INTEGER NOT NULL, FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"))',
    'INSERT INTO "supplier_item__v10" ("id", "product_id", "supplier_id", "pack_size") SELECT id_bytes("id"), id_bytes("product_id"), id_bytes("supplier_id"), "pack_size" FROM "supplier_item"',
    'DROP TABLE "supplier_item"',
    'ALTER TABLE "supplier_item__v10" RENAME TO "supplier_item"',
    'CREATE UNIQUE INDEX "supplier_item_product_id" ON "supplier_item" ("product_id")',
    'CREATE INDEX "supplier_item_supplier_id" ON "supplier_item" ("supplier_id")',
    'CREATE TABLE "purchase_order__v10" ("id" BLOB NOT NULL PRIMARY KEY, "number" VARCHAR(255) NOT NULL, "supplier_id" BLOB NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"))',
    'INSERT INTO "purchase_order__v10" ("id", "number", "supplier_id", "status", "created_at", "created_by", "note") SELECT id_bytes("id"), "number", id_bytes("supplier_id"), "status", "created_at", id_bytes("created_by"), "note" FROM "purchase_order"',
    'DROP TABLE "purchase_order"',
    'ALTER TABLE "purchase_order__v10" RENAME TO "purchase_order"',
    'CREATE UNIQUE INDEX "purchase_order_number" ON "purchase_order" ("number")',
    'CREATE INDEX "purchase_order_supplier_id" ON "purchase_order" ("supplier_id")',
    'CREATE TABLE "purchase_order_line__v10" ("id" BLOB NOT NULL PRIMARY KEY, "order_id" BLOB NOT NULL, "product_id" BLOB NOT NULL, "qty" INTEGER NOT NULL, "received" INTEGER NOT NULL, "cost" INTEGER NOT NULL, FOREIGN KEY ("order_id") REFERENCES "purchase_order" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"))',
    'INSERT INTO "purchase_order_line__v10" ("id", "order_id", "product_id", "qty", "received", "cost") SELECT id_bytes("id"), id_bytes("order_id"), id_bytes("product_id"), "qty", "received", "cost" FROM "purchase_order_line"',
    'DROP TABLE "purchase_order_line"',
    'ALTER TABLE "purchase_order_line__v10" RENAME TO "purchase_order_line"',
    'CREATE INDEX "purchase_order_line_order_id" ON "purchase_order_line" ("order_id")',
    'CREATE INDEX "purchase_order_line_product_id" ON "purchase_order_line" ("product_id")',
    'CREATE TABLE "goods_receipt__v10" ("id" BLOB NOT NULL PRIMARY KEY, "supplier_id" BLOB, "invoice_no" VARCHAR(255) NOT NULL, "order_id" BLOB, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"), FOREIGN KEY ("order_id") REFERENCES "purchase_order" ("id"))',
    'INSERT INTO "goods_receipt__v10" ("id", "supplier_id", "invoice_no", "order_id", "created_at", "created_by") SELECT id_bytes("id"), id_bytes("supplier_id"), "invoice_no", id_bytes("order_id"), "created_at", id_bytes("created_by") FROM "goods_receipt"',
    'DROP TABLE "goods_receipt"',
    'ALTER TABLE "goods_receipt__v10" RENAME TO "goods_receipt"',
    'CREATE INDEX "goods_receipt_supplier_id" ON "goods_receipt" ("supplier_id")',
    'CREATE INDEX "goods_receipt_order_id" ON "goods_receipt" ("order_id")',
    'CREATE TABLE "goods_receipt_line__v10" ("id" BLOB NOT NULL PRIMARY KEY, "receipt_id" BLOB NOT NULL, "product_id" BLOB NOT NULL, "qty" INTEGER NOT NULL, "cost" INTEGER NOT NULL, FOREIGN KEY ("receipt_id") REFERENCES "goods_receipt" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"))',
    'INSERT INTO "goods_receipt_line__v10" ("id", "receipt_id", "product_id", "qty", "cost") SELECT id_bytes("id"), id_bytes("receipt_id"), id_bytes("product_id"), "qty", "cost" FROM "goods_receipt_line"',
    'DROP TABLE "goods_receipt_line"',
    'ALTER TABLE "goods_receipt_line__v10" RENAME TO "goods_receipt_line"',
    'CREATE INDEX "goods_receipt_line_receipt_id" ON "goods_receipt_line" ("receipt_id")',
    'CREATE INDEX "goods_receipt_line_product_id" ON "goods_receipt_line" ("product_id")',
    'CREATE TABLE "stock_transfer__v10" ("id" BLOB NOT NULL PRIMARY KEY, "number" VARCHAR(255) NOT NULL, "direction" VARCHAR(255) NOT NULL, "from_store" VARCHAR(255) NOT NULL, "to_store" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, "received_at" DATETIME, "note" VARCHAR(255) NOT NULL)',
    'INSERT INTO "stock_transfer__v10" ("id", "number", "direction", "from_store", "to_store", "status", "created_at", "created_by", "received_at", "note") SELECT id_bytes("id"), "number", "direction", "from_store", "to_store", "status", "created_at", id_bytes("created_by"), "received_at", "note" FROM "stock_transfer"',
    'DROP TABLE "stock_transfer"',
    'ALTER TABLE "stock_transfer__v10" RENAME TO "stock_transfer"',
    'CREATE TABLE "stock_count__v10" ("id" BLOB NOT NULL PRIMARY KEY, "number" VARCHAR(255) NOT NULL, "scope_kind" VARCHAR(255) NOT NULL, "scope_value" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "created_by" BLOB NOT NULL, "snapshot_at" DATETIME NOT NULL, "closed_at" DATETIME, "closed_by" BLOB NOT NULL, "approved_at" DATETIME, "approved_by" BLOB NOT NULL, "note" VARCHAR(255) NOT NULL)',
    'INSERT INTO "stock_count__v10" ("id", "number", "scope_kind", "scope_value", "status", "created_at", "created_by", "snapshot_at", "closed_at", "closed_by", "approved_at", "approved_by", "note") SELECT id_bytes("id"), "number", "scope_kind", "scope_value", "status", "created_at", id_bytes("created_by"), "snapshot_at", "closed_at", id_bytes("closed_by"), "approved_at", id_bytes("approved_by"), "note" FROM "stock_count"',
    'DROP TABLE "stock_count"',
    'ALTER TABLE "stock_count__v10" RENAME TO "stock_count"',
    'CREATE UNIQUE INDEX "stock_count_number" ON "stock_count" ("number")',
    'CREATE INDEX "stock_count_status" ON "stock_count" ("status")',
    'CREATE TABLE "stock_count_item__v10" ("id" BLOB NOT NULL PRIMARY KEY, "count_id" BLOB NOT NULL, "product_id" BLOB NOT NULL, "snapshot_qty" INTEGER NOT NULL, "expected_qty" INTEGER, "counted_qty" INTEGER, "adjusted_qty" INTEGER, FOREIGN KEY ("count_id") REFERENCES "stock_count" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"))',
    'INSERT INTO "stock_count_item__v10" ("id", "count_id", "product_id", "snapshot_qty", "expected_qty", "counted_qty", "adjusted_qty") SELECT id_bytes("id"), id_bytes("count_id"), id_bytes("product_id"), "snapshot_qty", "expected_qty", "counted_qty", "adjusted_qty" FROM "stock_count_item"',
    'DROP TABLE "stock_count_item"',
    'ALTER TABLE "stock_count_item__v10" RENAME TO "stock_count_item"',
    'CREATE INDEX "stock_count_item_product_id" ON "stock_count_item" ("product_id")',
    'CREATE UNIQUE INDEX "stock_count_item_count_product" ON "stock_count_item" ("count_id", "product_id")',
    'CREATE TABLE "stock_count_entry__v10" ("id" BLOB NOT NULL PRIMARY KEY, "count_id" BLOB NOT NULL, "product_id" BLOB NOT NULL, "imei_unit_id" BLOB, "imei" VARCHAR(255), "qty" INTEGER NOT NULL, "staff_id" BLOB NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("count_id") REFERENCES "stock_count" ("id"), FOREIGN KEY ("product_id") REFERENCES "product" ("id"), FOREIGN KEY ("imei_unit_id") REFERENCES "imei_unit" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "stock_count_entry__v10" ("id", "count_id", "product_id", "imei_unit_id", "imei", "qty", "staff_id", "created_at") SELECT id_bytes("id"), id_bytes("count_id"), id_bytes("product_id"), id_bytes("imei_unit_id"), "imei", "qty", id_bytes("staff_id"), "created_at" FROM "stock_count_entry"',
    'DROP TABLE "stock_count_entry"',
    'ALTER TABLE "stock_count_entry__v10" RENAME TO "stock_count_entry"',
    'CREATE INDEX "stock_count_entry_product_id" ON "stock_count_entry" ("product_id")',
    'CREATE INDEX "stock_count_entry_imei_unit_id" ON "stock_count_entry" ("imei_unit_id")',
    'CREATE INDEX "stock_count_entry_staff_id" ON "stock_count_entry" ("staff_id")',
    'CREATE UNIQUE INDEX "stock_count_entry_count_imei" ON "stock_count_entry" ("count_id", "imei")',
    'CREATE TABLE "referral__v10" ("id" BLOB NOT NULL PRIMARY KEY, "referrer_id" BLOB NOT NULL, "referee_id" BLOB NOT NULL, "sale_id" BLOB NOT NULL, "staff_id" BLOB NOT NULL, "store_code" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "created_at" DATETIME NOT NULL, "status" VARCHAR(255) NOT NULL, "rule" VARCHAR(255) NOT NULL, "capped" INTEGER NOT NULL, FOREIGN KEY ("referrer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("referee_id") REFERENCES "customer" ("id"), FOREIGN KEY ("sale_id") REFERENCES "sale" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "referral__v10" ("id", "referrer_id", "referee_id", "sale_id", "staff_id", "store_code", "business_date", "created_at", "status", "rule", "capped") SELECT id_bytes("id"), id_bytes("referrer_id"), id_bytes("referee_id"), id_bytes("sale_id"), id_bytes("staff_id"), "store_code", "business_date", "created_at", "status", "rule", "capped" FROM "referral"',
    'DROP TABLE "referral"',
    'ALTER TABLE "referral__v10" RENAME TO "referral"',
    'CREATE INDEX "referral_referrer_id" ON "referral" ("referrer_id")',
    'CREATE INDEX "referral_sale_id" ON "referral" ("sale_id")',
    'CREATE INDEX "referral_business_date" ON "referral" ("business_date")',
    """CREATE UNIQUE INDEX "referral_one_per_referee" ON "referral" ("referee_id") WHERE ("status" = 'active')""",
    'CREATE TABLE "referral_reward__v10" ("id" BLOB NOT NULL PRIMARY KEY, "referral_id" BLOB NOT NULL, "sale_id" BLOB NOT NULL, "customer_id" BLOB NOT NULL, "side" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "used" INTEGER NOT NULL, "gift" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "earn_on" DATE NOT NULL, "earned_at" DATETIME, "expires_on" DATE, "closed_at" DATETIME, "handed_by_id" BLOB, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("referral_id") REFERENCES "referral" ("id"), FOREIGN KEY ("sale_id") REFERENCES "sale" ("id"), FOREIGN KEY ("customer_id") REFERENCES "customer" ("id"), FOREIGN KEY ("handed_by_id") REFERENCES "staff" ("id"))',
    'INSERT INTO "referral_reward__v10" ("id", "referral_id", "sale_id", "customer_id", "side", "kind", "amount", "used", "gift", "status", "created_at", "earn_on", "earned_at", "expires_on", "closed_at", "handed_by_id", "note") SELECT id_bytes("id"), id_bytes("referral_id"), id_bytes("sale_id"), id_bytes("customer_id"), "side", "kind", "amount", "used", "gift", "status", "created_at", "earn_on", "earned_at", "expires_on", "closed_at", id_bytes("handed_by_id"), "note" FROM "referral_reward"',
    'DROP TABLE "referral_reward"',
    'ALTER TABLE "referral_reward__v10" RENAME TO "referral_reward"',
    'CREATE INDEX "referral_reward_referral_id" ON "referral_reward" ("referral_id")',
    'CREATE INDEX "referral_reward_sale_id" ON "referral_reward" ("sale_id")',
    'CREATE INDEX "referral_reward_customer_status" ON "referral_reward" ("customer_id", "status")',
    'CREATE INDEX "referral_reward_status_earn_on" ON "referral_reward" ("status", "earn_on")',
    'CREATE TABLE "voucher_use__v10" ("id" BLOB NOT NULL PRIMARY KEY, "reward_id" BLOB NOT NULL, "sale_id" BLOB NOT NULL, "tender_id" BLOB, "amount" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("reward_id") REFERENCES "referral_reward" ("id"), FOREIGN KEY ("sale_id") REFERENCES "sale" ("id"), FOREIGN KEY ("tender_id") REFERENCES "tender" ("id"))',
    'INSERT INTO "voucher_use__v10" ("id", "reward_id", "sale_id", "tender_id", "amount", "created_at") SELECT id_bytes("id"), id_bytes("reward_id"), id_bytes("sale_id"), id_bytes("tender_id"), "amount", "created_at" FROM "voucher_use"',
    'DROP TABLE "voucher_use"',
    'ALTER TABLE "voucher_use__v10" RENAME TO "voucher_use"',
    'CREATE INDEX "voucher_use_reward_id" ON "voucher_use" ("reward_id")',
    'CREATE INDEX "voucher_use_sale_id" ON "voucher_use" ("sale_id")',
)

# Version 11: the kind of leave (事假 personal, 病假 sick, 年假 annual, 调休 time off in lieu);
# leave recorded before it was personal leave.
V11 = ("""ALTER TABLE "leave_request" ADD COLUMN "kind" VARCHAR(255) NOT NULL DEFAULT 'personal'""",)

# Version 12: running summaries, so reorder and customer value cost a row a product or a
# customer instead of a read of the whole history (which grows as the shop ages):
# product_stock (on hand, first movement, last sale), product_day_demand (units sold net per
# product and business day; kept in date order, so a window of every product reads only its
# days, and indexed by product for the few products a sale touches) and customer_totals
# (purchases, first and last purchase, net total). SQLite triggers keep them in the
# transaction of every insert into stock_movement and sale, whoever writes it (checkout,
# voids, receiving, adjustments, counts, transfers, gifts, a bulk load, another program), so
# they cannot drift from the ledgers. The business day of a sale, return or void movement is
# its receipt's sale.business_date (the store's time zone when it was rung up; a void is
# refused on another day), read by the movement's document: no time zone is needed in SQL.
# Updates and deletes (never made by zhanggui: the ledgers are append-only) recompute what
# they touch. The tables are filled from the history here.
V12 = (
    """CREATE TABLE "product_stock" ("product_id" BLOB NOT NULL PRIMARY KEY, "on_hand" INTEGER NOT NULL, "first_movement_at" DATETIME NOT NULL, "last_sale_at" DATETIME) WITHOUT ROWID""",
    """CREATE TABLE "product_day_demand" ("business_date" DATE NOT NULL, "product_id" BLOB NOT NULL, "sold" INTEGER NOT NULL, PRIMARY KEY ("business_date", "product_id")) WITHOUT ROWID""",
    """CREATE INDEX "product_day_demand_product" ON "product_day_demand" ("product_id", "business_date")""",
    """CREATE TABLE "customer_totals" ("customer_id" BLOB NOT NULL PRIMARY KEY, "purchases" INTEGER NOT NULL, "first_purchase" DATE, "last_purchase" DATE, "total" INTEGER NOT NULL) WITHOUT ROWID""",
    """INSERT INTO "product_stock" ("product_id", "on_hand", "first_movement_at", "last_sale_at") SELECT "product_id", SUM("qty"), MIN("created_at"), MAX(CASE WHEN "kind" = 'sale' THEN "created_at" END) FROM "stock_movement" GROUP BY "product_id\"""",
    """INSERT INTO "product_day_demand" ("business_date", "product_id", "sold") SELECT s."business_date", m."product_id", -SUM(m."qty") FROM "stock_movement" m JOIN "sale" s ON s."id" = m."document" WHERE m."kind" IN ('sale', 'return', 'void') GROUP BY s."business_date", m."product_id\"""",
    """INSERT INTO "customer_totals" ("customer_id", "purchases", "first_purchase", "last_purchase", "total") SELECT "customer_id", SUM("kind" != 'return'), MIN(CASE WHEN "kind" != 'return' THEN "business_date" END), MAX(CASE WHEN "kind" != 'return' THEN "business_date" END), SUM("total") FROM "sale" WHERE "customer_id" IS NOT NULL AND "status" = 'completed' GROUP BY "customer_id\"""",
    """CREATE TRIGGER "stock_movement_summary_insert" AFTER INSERT ON "stock_movement" BEGIN
    INSERT INTO "product_stock" ("product_id", "on_hand", "first_movement_at", "last_sale_at") VALUES (NEW."product_id", NEW."qty", NEW."created_at", CASE WHEN NEW."kind" = 'sale' THEN NEW."created_at" END)
    ON CONFLICT ("product_id") DO UPDATE SET "on_hand" = "on_hand" + excluded."on_hand", "first_movement_at" = MIN("first_movement_at", excluded."first_movement_at"), "last_sale_at" = COALESCE(MAX("last_sale_at", excluded."last_sale_at"), "last_sale_at", excluded."last_sale_at");
    INSERT INTO "product_day_demand" ("business_date", "product_id", "sold") SELECT s."business_date", NEW."product_id", -NEW."qty" FROM "sale" s WHERE NEW."kind" IN ('sale', 'return', 'void') AND s."id" = NEW."document"
    ON CONFLICT ("business_date", "product_id") DO UPDATE SET "sold" = "sold" + excluded."sold";
END""",
    """CREATE TRIGGER "stock_movement_summary_change" AFTER UPDATE ON "stock_movement" BEGIN
    DELETE FROM "product_stock" WHERE "product_id" IN (OLD."product_id", NEW."product_id");
    INSERT INTO "product_stock" ("product_id", "on_hand", "first_movement_at", "last_sale_at") SELECT "product_id", SUM("qty"), MIN("created_at"), MAX(CASE WHEN "kind" = 'sale' THEN "created_at" END) FROM "stock_movement" WHERE "product_id" IN (OLD."product_id", NEW."product_id") GROUP BY "product_id";
    DELETE FROM "product_day_demand" WHERE "product_id" IN (OLD."product_id", NEW."product_id");
    INSERT INTO "product_day_demand" ("business_date", "product_id", "sold") SELECT s."business_date", m."product_id", -SUM(m."qty") FROM "stock_movement" m JOIN "sale" s ON s."id" = m."document" WHERE m."product_id" IN (OLD."product_id", NEW."product_id") AND m."kind" IN ('sale', 'return', 'void') GROUP BY s."business_date", m."product_id";
END""",
    """CREATE TRIGGER "stock_movement_summary_delete" AFTER DELETE ON "stock_movement" BEGIN
    DELETE FROM "product_stock" WHERE "product_id" = OLD."product_id";
    INSERT INTO "product_stock" ("product_id", "on_hand", "first_movement_at", "last_sale_at") SELECT "product_id", SUM("qty"), MIN("created_at"), MAX(CASE WHEN "kind" = 'sale' THEN "created_at" END) FROM "stock_movement" WHERE "product_id" = OLD."product_id" GROUP BY "product_id";
    DELETE FROM "product_day_demand" WHERE "product_id" = OLD."product_id";
    INSERT INTO "product_day_demand" ("business_date", "product_id", "sold") SELECT s."business_date", m."product_id", -SUM(m."qty") FROM "stock_movement" m JOIN "sale" s ON s."id" = m."document" WHERE m."product_id" = OLD."product_id" AND m."kind" IN ('sale', 'return', 'void') GROUP BY s."business_date", m."product_id";
END""",
    """CREATE TRIGGER "sale_summary_insert" AFTER INSERT ON "sale" WHEN NEW."customer_id" IS NOT NULL AND NEW."status" = 'completed' BEGIN
    INSERT INTO "customer_totals" ("customer_id", "purchases", "first_purchase", "last_purchase", "total") VALUES (NEW."customer_id", NEW."kind" != 'return', CASE WHEN NEW."kind" != 'return' THEN NEW."business_date" END, CASE WHEN NEW."kind" != 'return' THEN NEW."business_date" END, NEW."total")
    ON CONFLICT ("customer_id") DO UPDATE SET "purchases" = "purchases" + excluded."purchases", "first_purchase" = COALESCE(MIN("first_purchase", excluded."first_purchase"), "first_purchase", excluded."first_purchase"), "last_purchase" = COALESCE(MAX("last_purchase", excluded."last_purchase"), "last_purchase", excluded."last_purchase"), "total" = "total" + excluded."total";
END""",
    """CREATE TRIGGER "sale_summary_change" AFTER UPDATE OF "customer_id", "status", "kind", "business_date", "total" ON "sale" WHEN OLD."customer_id" IS NOT NULL OR NEW."customer_id" IS NOT NULL BEGIN
    DELETE FROM "customer_totals" WHERE "customer_id" IN (OLD."customer_id", NEW."customer_id");
    INSERT INTO "customer_totals" ("customer_id", "purchases", "first_purchase", "last_purchase", "total") SELECT "customer_id", SUM("kind" != 'return'), MIN(CASE WHEN "kind" != 'return' THEN "business_date" END), MAX(CASE WHEN "kind" != 'return' THEN "business_date" END), SUM("total") FROM "sale" WHERE "customer_id" IN (OLD."customer_id", NEW."customer_id") AND "status" = 'completed' GROUP BY "customer_id";
END""",
    """CREATE TRIGGER "sale_summary_delete" AFTER DELETE ON "sale" WHEN OLD."customer_id" IS NOT NULL BEGIN
    DELETE FROM "customer_totals" WHERE "customer_id" = OLD."customer_id";
    INSERT INTO "customer_totals" ("customer_id", "purchases", "first_purchase", "last_purchase", "total") SELECT "customer_id", SUM("kind" != 'return'), MIN(CASE WHEN "kind" != 'return' THEN "business_date" END), MAX(CASE WHEN "kind" != 'return' THEN "business_date" END), SUM("total") FROM "sale" WHERE "customer_id" = OLD."customer_id" AND "status" = 'completed' GROUP BY "customer_id";
END""",
)

# Version 13 (tenders): the reason a return gives (a code of config.toml's [returns] reasons),
# and the tender of the original sale a refund's tender gives back, so a refund goes back the
# way it was paid and never more than that payment. Older rows keep '' and null.
V13 = (
    """ALTER TABLE "sale" ADD COLUMN "return_reason" VARCHAR(255) NOT NULL DEFAULT ''""",
    """ALTER TABLE "tender" ADD COLUMN "original_id" BLOB REFERENCES "tender" ("id")""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13)
# Versions that copy tables into new ones (store.db.connection._rebuild).
REBUILDS = frozenset({10})
LATEST = len(MIGRATIONS)
