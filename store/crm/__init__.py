"""Customers as a company resource: lookup, records, value (RFM), contacts and follow-up
tasks, care lists. ``store.crm.sale_customer`` keeps the two calls the sale screen used first."""
