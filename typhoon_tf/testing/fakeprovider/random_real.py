"""`random_*` results that honour the length and character-set arguments like
hashicorp/random does (secrets from `secrets`, so not deterministic; Terraform stores them)."""

from __future__ import annotations

import base64
import secrets
import string
import uuid
from typing import Any

from typhoon_tf.testing.fakeprovider.errors import ProviderError

_DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"
_PETS = ("otter", "lynx", "heron", "marten", "ibex", "puffin", "gecko", "wombat")
_ADJECTIVES = ("brave", "calm", "eager", "fond", "keen", "merry", "quick", "witty")


def _flag(planned: dict[str, Any], name: str, default: bool = True) -> bool:
    value = planned.get(name)
    return default if value is None else bool(value)


def _int(planned: dict[str, Any], name: str, default: int = 0) -> int:
    value = planned.get(name)
    return default if value is None else int(value)


def random_string(planned: dict[str, Any]) -> dict[str, Any]:
    length = _int(planned, "length")
    numeric = _flag(planned, "numeric") and _flag(planned, "number")
    special_chars = planned.get("override_special")
    if special_chars is None:
        special_chars = _DEFAULT_SPECIAL
    classes = [
        (_flag(planned, "upper"), string.ascii_uppercase, _int(planned, "min_upper")),
        (_flag(planned, "lower"), string.ascii_lowercase, _int(planned, "min_lower")),
        (numeric, string.digits, _int(planned, "min_numeric")),
        (_flag(planned, "special"), special_chars, _int(planned, "min_special")),
    ]
    enabled = [(chars, minimum) for on, chars, minimum in classes if on and chars]
    if length < 1 or not enabled:
        raise ProviderError("invalid random string", "length must be >= 1 with a character set")
    if sum(m for _, m in enabled) > length:
        raise ProviderError("invalid random string", "the min_* counts exceed length")
    chars = [secrets.choice(pool) for pool, minimum in enabled for _ in range(minimum)]
    alphabet = "".join(pool for pool, _ in enabled)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    rng = secrets.SystemRandom()
    rng.shuffle(chars)
    result = "".join(chars)
    defaults: dict[str, Any] = {
        "upper": True,
        "lower": True,
        "numeric": True,
        "number": True,
        "special": True,
        "min_upper": 0,
        "min_lower": 0,
        "min_numeric": 0,
        "min_special": 0,
    }
    return {**defaults, "result": result, "id": "none"}


def random_password(planned: dict[str, Any]) -> dict[str, Any]:
    out = random_string(planned)
    # A bcrypt-shaped value; the real provider's hash is not reproducible anyway (salted).
    salt_and_hash = base64.b64encode(secrets.token_bytes(40)).decode().replace("+", ".")[:53]
    return {**out, "bcrypt_hash": f"$2a$10${salt_and_hash}"}


def random_id(planned: dict[str, Any]) -> dict[str, Any]:
    size = _int(planned, "byte_length")
    if size < 1:
        raise ProviderError("invalid byte_length", "byte_length must be >= 1")
    raw = secrets.token_bytes(size)
    prefix = planned.get("prefix") or ""
    b64_url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return {
        "id": b64_url,
        "b64_url": prefix + b64_url,
        "b64_std": prefix + base64.b64encode(raw).decode(),
        "hex": prefix + raw.hex(),
        "dec": prefix + str(int.from_bytes(raw, "big")),
    }


def random_integer(planned: dict[str, Any]) -> dict[str, Any]:
    low, high = _int(planned, "min"), _int(planned, "max")
    if high < low:
        raise ProviderError("invalid range", "max must be >= min")
    value = low + secrets.randbelow(high - low + 1)
    return {"result": value, "id": str(value)}


def random_uuid(planned: dict[str, Any]) -> dict[str, Any]:
    value = str(uuid.uuid4())
    return {"result": value, "id": value}


def random_shuffle(planned: dict[str, Any]) -> dict[str, Any]:
    items = list(planned.get("input") or [])
    secrets.SystemRandom().shuffle(items)
    count = planned.get("result_count")
    return {"result": items[: int(count)] if count is not None else items, "id": "-"}


def random_pet(planned: dict[str, Any]) -> dict[str, Any]:
    length = _int(planned, "length", 2)
    separator = planned.get("separator")
    separator = "-" if separator is None else separator
    words = [secrets.choice(_ADJECTIVES) for _ in range(max(length - 1, 0))] + [
        secrets.choice(_PETS)
    ]
    prefix = planned.get("prefix")
    name = separator.join(([prefix] if prefix else []) + words[:length])
    return {"id": name, "length": length, "separator": separator}
