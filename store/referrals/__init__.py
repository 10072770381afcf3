"""Referral rewards (老带新): codes, the link at a first sale, the reward ledger, vouchers
as a tender, and the reports that make the referral share of new customers measurable."""
