"""Opening the store database and the one way to write to it; the schema's versions."""
