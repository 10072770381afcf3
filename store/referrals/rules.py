"""Which reward rule a referred first sale earns, judged on what the customer kept."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from store.models import database
from store.referrals.config import ReferralRule, ReferralSection


@dataclass(frozen=True)
class KeptLine:
    category: str
    brand: str
    model: str
    qty: int  # sold less returned
    amount: int  # paid less refunded, in fen


_KEPT_SQL = """
SELECT p.category, p.brand, p.model,
       sl.qty + COALESCE(r.qty, 0), sl.total + COALESCE(r.total, 0)
FROM sale_line sl
JOIN product p ON p.id = sl.product_id
LEFT JOIN (
    SELECT rl.original_line_id AS line_id, SUM(rl.qty) AS qty, SUM(rl.total) AS total
    FROM sale_line rl JOIN sale rs ON rs.id = rl.sale_id
    WHERE rs.status = 'completed' AND rl.original_line_id IN (SELECT id FROM sale_line WHERE sale_id = ?)
    GROUP BY rl.original_line_id
) r ON r.line_id = sl.id
WHERE sl.sale_id = ? AND sl.qty > 0
"""


_FRESH_SQL = """
SELECT p.category, p.brand, p.model, sl.qty, sl.total
FROM sale_line sl JOIN product p ON p.id = sl.product_id
WHERE sl.sale_id = ? AND sl.qty > 0
"""


def fresh_lines(sale_id: str) -> list[KeptLine]:
    """The lines of a sale being committed: nothing can have been returned from it yet."""
    rows = database.obj.execute_sql(_FRESH_SQL, (sale_id,)).fetchall()
    return [KeptLine(c, b, m, int(q), int(a)) for c, b, m, q, a in rows]


def kept_lines(sale_id: str) -> list[KeptLine]:
    """The sale's lines as they stand after every completed return against them."""
    rows = database.obj.execute_sql(_KEPT_SQL, (sale_id, sale_id)).fetchall()
    return [KeptLine(c, b, m, int(q), int(a)) for c, b, m, q, a in rows]


def kept_lines_of(sale_ids: set[str]) -> dict[str, list[KeptLine]]:
    """kept_lines of many sales in one read (settling a day's worth at once). CROSS JOIN
    fixes the order: the temp table has no statistics, and the planner would otherwise scan
    every sale line in the store and probe it."""
    found: dict[str, list[KeptLine]] = {}
    if not sale_ids:
        return found
    db = database.obj
    db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS settle_sale (id TEXT PRIMARY KEY)")
    db.execute_sql("DELETE FROM settle_sale")
    db.cursor().executemany("INSERT INTO settle_sale (id) VALUES (?)", [(s,) for s in sale_ids])
    rows = db.execute_sql(
        """
        SELECT sl.sale_id, p.category, p.brand, p.model,
               sl.qty + COALESCE(r.qty, 0), sl.total + COALESCE(r.total, 0)
        FROM settle_sale t
        CROSS JOIN sale_line sl ON sl.sale_id = t.id
        CROSS JOIN product p ON p.id = sl.product_id
        LEFT JOIN (
            SELECT rl.original_line_id AS line_id, SUM(rl.qty) AS qty, SUM(rl.total) AS total
            FROM settle_sale t2 CROSS JOIN sale rs ON rs.original_id = t2.id
            CROSS JOIN sale_line rl ON rl.sale_id = rs.id
            WHERE rs.status = 'completed'
            GROUP BY rl.original_line_id
        ) r ON r.line_id = sl.id
        WHERE sl.qty > 0
        """
    ).fetchall()
    db.execute_sql("DELETE FROM settle_sale")
    for sale_id, c, b, m, q, a in rows:
        found.setdefault(str(sale_id), []).append(KeptLine(c, b, m, int(q), int(a)))
    return found


@dataclass(frozen=True)
class Criteria:
    """What a rule asks of the sale; stored with the referral so a return is judged by the
    rule of the sale's own date even after head office changes the policy."""

    valid_from: str
    category: str
    brand: str
    model: str
    min_fen: int

    @classmethod
    def of(cls, rule: ReferralRule) -> Criteria:
        return cls(rule.valid_from.isoformat(), rule.category, rule.brand, rule.model, rule.min_fen)

    def to_json(self) -> str:
        return json.dumps(
            {
                "from": self.valid_from,
                "category": self.category,
                "brand": self.brand,
                "model": self.model,
                "min_fen": self.min_fen,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Criteria:
        data = json.loads(text)
        return cls(data["from"], data["category"], data["brand"], data["model"], int(data["min_fen"]))

    def matches(self, line: KeptLine) -> bool:
        return (
            (not self.category or line.category == self.category)
            and (not self.brand or line.brand.casefold() == self.brand.casefold())
            and (not self.model or line.model.casefold() == self.model.casefold())
        )

    def met_by(self, lines: list[KeptLine]) -> bool:
        """At least one matching line kept, and the matching lines come to the minimum."""
        kept = [ln for ln in lines if ln.qty > 0 and self.matches(ln)]
        return bool(kept) and sum(ln.amount for ln in kept) >= self.min_fen

    @property
    def label(self) -> str:
        scope = "/".join(p for p in (self.category, self.brand, self.model) if p) or "*"
        return f"{scope} >= {self.min_fen}"


def best_rule(policy: ReferralSection, day: date, lines: list[KeptLine]) -> ReferralRule | None:
    """Of the rules in force on the sale's date that the sale meets, the one naming the most
    (model, brand, category, then the higher minimum); a tie goes to the later 'from', then
    to the later rule in the file."""
    met = [r for r in policy.rules_on(day) if Criteria.of(r).met_by(lines)]
    if not met:
        return None
    return max(met, key=lambda r: (r.specificity, r.valid_from, r.order))
