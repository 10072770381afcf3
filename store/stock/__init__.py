"""Products, handsets by IMEI, the stock ledger, counts, receiving, transfers and reordering."""
