"""Ignition spec knowledge: validation, merge, data URLs and 3.x -> 2.3.0 down-conversion.

Import the module you need; this package keeps its import light (no jsonschema) so
commands that only need data URLs start fast.

* `validate.validate(config) -> list[Problem]`, `validate.check(config, source=...)`
  (raises `UserError`): spec 3.0.0-3.5.0 and 2.3.0, JSON Schema + Ignition's rules.
* `merge.merge(parent, child) -> dict`: Ignition's config merge (spec 3).
* `downconvert.downconvert(config, "2.3.0") -> dict`: spec 3.x to spec 2.3.0.
* `dataurl`: RFC 2397 data URLs as Butane writes them.
"""
