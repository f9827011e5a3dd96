"""The shipped JSON Schemas, one per Ignition spec version (see schema_source.py)."""
