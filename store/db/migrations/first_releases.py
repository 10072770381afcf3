"""Schema versions 1 to 9: the tables of the first releases and what they added (frozen SQL)."""

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
