"""Schema versions 11 to 13: leave kinds, running summaries, tender references and return
reasons (frozen SQL)."""

from __future__ import annotations

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
