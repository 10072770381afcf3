"""Schema version 14: the cash drawer, shifts and the day lock (frozen SQL).

cash_session: one shift at one terminal's drawer, opened with a float counted by
denomination and ended by a handover or the day's close (expected, counted or null for "not
counted", over/short, the reason). cash_movement: paid-in, paid-out and drops to the safe of a
session. day_close: the Z report of a terminal's business day, its Z number (in sequence per
terminal) and the audit chain's head at close.

The triggers are the day lock below every function: once a day_close row names a terminal's
business day, no sale, line, tender, stock movement of its receipts or cash movement of that
day is added, changed or deleted, whoever writes (checkout, voids, another program); other
stock movements are never written dated before the latest close, and a Z row is never
changed or deleted. RAISE(ABORT) undoes the statement; store.db.transaction turns its text
into the sentence the user reads."""

from __future__ import annotations

_CLOSED = "SELECT RAISE(ABORT, 'zhanggui: business day closed')"


def _sale_closed(ref: str) -> str:
    """SQL true when the sale with id ``ref`` belongs to a closed day."""
    return (
        f'EXISTS (SELECT 1 FROM "sale" s JOIN "day_close" d ON d."terminal_id" = s."terminal_id" '
        f'AND d."business_date" = s."business_date" WHERE s."id" = {ref})'
    )


def _day_closed(row: str) -> str:
    return (
        f'EXISTS (SELECT 1 FROM "day_close" d WHERE d."terminal_id" = {row}."terminal_id" '
        f'AND d."business_date" = {row}."business_date")'
    )


def _session_closed(ref: str) -> str:
    return (
        f'EXISTS (SELECT 1 FROM "cash_session" c JOIN "day_close" d ON d."terminal_id" = c."terminal_id" '
        f'AND d."business_date" = c."business_date" WHERE c."id" = {ref})'
    )


_LEDGER_KINDS = "('sale', 'return', 'void')"
_LATEST_CLOSE = '(SELECT MAX("closed_at") FROM "day_close")'

V14 = (
    """CREATE TABLE "cash_session" ("id" BLOB NOT NULL PRIMARY KEY, "terminal_id" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "seq" INTEGER NOT NULL, "opened_at" DATETIME NOT NULL, "opened_by_id" BLOB NOT NULL, "float" INTEGER NOT NULL, "float_counts" TEXT NOT NULL, "closed_at" DATETIME, "closed_by_id" BLOB, "end_kind" VARCHAR(255) NOT NULL, "expected" INTEGER, "counted" INTEGER, "counts" TEXT NOT NULL, "over_short" INTEGER, "reason" TEXT NOT NULL, FOREIGN KEY ("opened_by_id") REFERENCES "staff" ("id"), FOREIGN KEY ("closed_by_id") REFERENCES "staff" ("id"))""",
    """CREATE UNIQUE INDEX "cash_session_terminal_day_seq" ON "cash_session" ("terminal_id", "business_date", "seq")""",
    """CREATE UNIQUE INDEX "cash_session_open" ON "cash_session" ("terminal_id") WHERE ("closed_at" IS NULL)""",
    """CREATE TABLE "cash_movement" ("id" BLOB NOT NULL PRIMARY KEY, "session_id" BLOB NOT NULL, "kind" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "reason" TEXT NOT NULL, "staff_id" BLOB NOT NULL, "approved_by" BLOB NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("session_id") REFERENCES "cash_session" ("id"), FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))""",
    """CREATE INDEX "cash_movement_session_id" ON "cash_movement" ("session_id")""",
    """CREATE TABLE "day_close" ("id" BLOB NOT NULL PRIMARY KEY, "terminal_id" VARCHAR(255) NOT NULL, "business_date" DATE NOT NULL, "z_no" INTEGER NOT NULL, "closed_at" DATETIME NOT NULL, "closed_by_id" BLOB NOT NULL, "approved_by" BLOB NOT NULL, "expected" INTEGER NOT NULL, "counted" INTEGER, "over_short" INTEGER, "reason" TEXT NOT NULL, "audit_seq" INTEGER NOT NULL, "audit_head" VARCHAR(255) NOT NULL, FOREIGN KEY ("closed_by_id") REFERENCES "staff" ("id"))""",
    """CREATE UNIQUE INDEX "day_close_terminal_day" ON "day_close" ("terminal_id", "business_date")""",
    """CREATE UNIQUE INDEX "day_close_terminal_z" ON "day_close" ("terminal_id", "z_no")""",
    f"""CREATE TRIGGER "sale_day_lock_insert" BEFORE INSERT ON "sale" WHEN {_day_closed("NEW")} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "sale_day_lock_update" BEFORE UPDATE OF "receipt_no", "terminal_id", "business_date", "created_at", "kind", "status", "staff_id", "customer_id", "original_id", "subtotal", "discount", "total", "voided_at", "return_reason" ON "sale" WHEN {_day_closed("OLD")} OR {_day_closed("NEW")} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "sale_day_lock_delete" BEFORE DELETE ON "sale" WHEN {_day_closed("OLD")} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "sale_line_day_lock_insert" BEFORE INSERT ON "sale_line" WHEN {_sale_closed('NEW."sale_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "sale_line_day_lock_update" BEFORE UPDATE ON "sale_line" WHEN {_sale_closed('OLD."sale_id"')} OR {_sale_closed('NEW."sale_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "sale_line_day_lock_delete" BEFORE DELETE ON "sale_line" WHEN {_sale_closed('OLD."sale_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "tender_day_lock_insert" BEFORE INSERT ON "tender" WHEN {_sale_closed('NEW."sale_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "tender_day_lock_update" BEFORE UPDATE ON "tender" WHEN {_sale_closed('OLD."sale_id"')} OR {_sale_closed('NEW."sale_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "tender_day_lock_delete" BEFORE DELETE ON "tender" WHEN {_sale_closed('OLD."sale_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "stock_movement_day_lock_insert" BEFORE INSERT ON "stock_movement" WHEN (NEW."kind" IN {_LEDGER_KINDS} AND {_sale_closed('NEW."document"')}) OR (NEW."kind" NOT IN {_LEDGER_KINDS} AND NEW."created_at" < {_LATEST_CLOSE}) BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "stock_movement_day_lock_update" BEFORE UPDATE ON "stock_movement" WHEN OLD."created_at" < {_LATEST_CLOSE} OR NEW."created_at" < {_LATEST_CLOSE} OR (OLD."kind" IN {_LEDGER_KINDS} AND {_sale_closed('OLD."document"')}) BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "stock_movement_day_lock_delete" BEFORE DELETE ON "stock_movement" WHEN OLD."created_at" < {_LATEST_CLOSE} OR (OLD."kind" IN {_LEDGER_KINDS} AND {_sale_closed('OLD."document"')}) BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "cash_session_day_lock_insert" BEFORE INSERT ON "cash_session" WHEN {_day_closed("NEW")} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "cash_session_day_lock_update" BEFORE UPDATE ON "cash_session" WHEN {_day_closed("OLD")} OR {_day_closed("NEW")} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "cash_session_day_lock_delete" BEFORE DELETE ON "cash_session" WHEN {_day_closed("OLD")} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "cash_movement_day_lock_insert" BEFORE INSERT ON "cash_movement" WHEN {_session_closed('NEW."session_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "cash_movement_day_lock_update" BEFORE UPDATE ON "cash_movement" WHEN {_session_closed('OLD."session_id"')} OR {_session_closed('NEW."session_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "cash_movement_day_lock_delete" BEFORE DELETE ON "cash_movement" WHEN {_session_closed('OLD."session_id"')} BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "day_close_never_redone_update" BEFORE UPDATE ON "day_close" BEGIN {_CLOSED}; END""",
    f"""CREATE TRIGGER "day_close_never_redone_delete" BEFORE DELETE ON "day_close" BEGIN {_CLOSED}; END""",
)
