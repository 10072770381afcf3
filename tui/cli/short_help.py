"""Each subcommand's one-line help as `zhanggui --help` lists it, so the list needs none of their
modules (loading them all took the help from 0.09 to 0.29 s on this machine). It is each
command's own short help, word for word: tests/cli/test_cli_help_table.py fails when a
command's help and this table part, and prints the line to put here."""

from __future__ import annotations

SHORT_HELP: dict[str, str] = {
    "adjust": "Adjust the stock of an accessory by --qty (negative takes away), with a reason.",
    "audit": "The tamper-evident audit log: verify it, or print its head to write down.",
    "backup": "Back the store database up (a consistent copy, safe while tills sell), check the copy, and keep the rotation ([backup] daily and weekly in config).",
    "care": "Birthday and holiday greetings due (customers who consented only), with the message from config.toml filled in, ready to send by SMS or WeChat.",
    "check": "Read every page of the store database for damage.",
    "counts": "Stock counts: the list, and each count's variances.",
    "customers": "Customers: lookup, value segments and reassigning a leaver's customers.",
    "day": "The cash drawer and the end of the day: float, X and Z reports, close.",
    "demo": "Create a demo store in a new database: phones, accessories, stock, customers and 90 days of sales, with staff to log in as.",
    "export": "Write the signed file of a closed business day for head office: its sales, returns, payments, stock, customers, referrals, staff hours, cash and audit rows.",
    "history": "Every stock movement of an IMEI, a barcode or a SKU: received from whom, sold to whom, returned, counted, transferred.",
    "hq": "Head office: the chain's stores, their day files, chain reports.",
    "keys": "The store's signing key: every file it sends head office is signed with it.",
    "products": "The product catalog.",
    "promoters": "Promoters: month report, sales targets, the promotion ladder.",
    "receive": "Receive stock of one product: a quantity, or handsets by IMEI.",
    "referrals": "Referral rewards (老带新): month report, settling rewards, suspicious patterns.",
    "reorder": "Suggested orders: every product at or under its reorder point, by supplier.",
    "restore": "Put a backup back in place of the store database, after checking it (whole, of this store, of a known version, its audit log verified).",
    "roster": "Print or export a week's roster: who works which shift each day, hours, conflicts.",
    "sellout": "The store's sell-out feed of a brand (串号上报) for its promoters: every handset of the brand sold or returned on the day, by IMEI, then the day's receipts and stock on hand; the same columns as head office's feed, with the brand's codes from config.toml's [sellout] (empty without them; head office keeps the chain's: zhanggui hq map).",
    "staff": "Staff: who works here, PINs, locked accounts, leavers, roles and discount limits.",
    "suppliers": "Suppliers, their lead times and the products each supplies.",
    "transfer": "Send stock to another store of the chain, or receive what one sent.",
    "velocity": "Every product's velocity class (hot / regular / slow) from recent sales, with stock; the money at cost for a manager's --staff and --pin only.",
}
