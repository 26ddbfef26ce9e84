"""Rendering of results computed by the core: text tables, JSON, problem listings."""
