"""Head office (总部): the stores' signed day files consolidated in one database.

- ``db``: a connection to a SQLite file or a PostgreSQL server (``postgresql://…``), the
  schema (``schema``) made on first use; plain DB-API, so the console never loads a
  PostgreSQL driver (peewee imports one whenever it is installed; this package does not use it);
- ``stores``: the chain's stores and their public keys (several per store: rotation);
- ``importer``: one file, one transaction: verified whole, then all of it or nothing;
- ``reports``: sales by store and day, the store ranking, the days not sent.
"""
