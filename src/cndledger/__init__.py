"""cndledger: a budget and funding ledger for development-aid projects, kept in TOML."""

__version__ = "0.1.0"
