"""Argument validators the real providers run at `terraform validate` time (the schema data
carries none), for the types our modules use. Unknown values are skipped, as in the SDKs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tf.types import Unknown

from typhoon_tf.testing.fakeprovider.errors import ProviderError

Validator = Callable[[dict[str, Any]], list[ProviderError]]


def _one_of(config: dict[str, Any], key: str, allowed: tuple[str, ...]) -> list[ProviderError]:
    value = config.get(key)
    if value is None or value is Unknown or value in allowed:
        return []
    return [
        ProviderError(
            "Invalid Attribute Value Match",
            f"Attribute {key} value must be one of: {', '.join(repr(a) for a in allowed)}, "
            f"got: {value!r}",
            path=[key],
        )
    ]


def _at_least(config: dict[str, Any], key: str, minimum: int) -> list[ProviderError]:
    value = config.get(key)
    if value is None or value is Unknown or value >= minimum:
        return []
    return [
        ProviderError(
            "Invalid Attribute Value",
            f"Attribute {key} value must be at least {minimum}, got: {value}",
            path=[key],
        )
    ]


def _allowed_uses(config: dict[str, Any]) -> list[ProviderError]:
    uses = config.get("allowed_uses")
    if uses is None or uses is Unknown:
        return []
    # Imported here: it brings `cryptography`, which only the tls provider's process needs.
    from typhoon_tf.testing.fakeprovider.tls_real import known_usages

    bad = [u for u in uses if u is not Unknown and u not in known_usages()]
    if not bad:
        return []
    return [
        ProviderError(
            "Invalid Attribute Value Match",
            f"allowed_uses contains unknown usages {bad}; valid: {sorted(known_usages())}",
            path=["allowed_uses"],
        )
    ]


def _private_key(config: dict[str, Any]) -> list[ProviderError]:
    return _one_of(config, "algorithm", ("RSA", "ECDSA", "ED25519")) + _one_of(
        config, "ecdsa_curve", ("P224", "P256", "P384", "P521")
    )


def _random_text(config: dict[str, Any]) -> list[ProviderError]:
    return _at_least(config, "length", 1)


def _matchbox_profile(config: dict[str, Any]) -> list[ProviderError]:
    both = all(
        config.get(k) not in (None, Unknown) for k in ("container_linux_config", "raw_ignition")
    )
    if not both:
        return []
    return [
        ProviderError(
            "Invalid profile", "container_linux_config and raw_ignition are mutually exclusive"
        )
    ]


VALIDATORS: dict[str, Validator] = {
    "tls_private_key": _private_key,
    "tls_self_signed_cert": _allowed_uses,
    "tls_locally_signed_cert": _allowed_uses,
    "random_password": _random_text,
    "random_string": _random_text,
    "random_id": lambda c: _at_least(c, "byte_length", 1),
    "matchbox_profile": _matchbox_profile,
}
