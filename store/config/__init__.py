"""config.toml: one declarative schema every section uses, and the loader."""
