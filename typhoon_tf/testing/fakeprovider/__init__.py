"""A schema-faithful fake Terraform provider (plugin protocol 6) built on PyPI `tf`.

It serves a provider schema in `terraform providers schema -json` format, plans computed
attributes as unknown, and on apply fills them with deterministic, type-correct values; a
few types behave for real (tls keys and certificates, random strings, the `external` data
source, `local_file`). Terraform core does the schema checking, so validation errors are the
ones users would see with the real provider.
"""
