"""Entry point of a fake provider process: `main(schema_file)` serves that schema.

PyPI `tf` supplies the go-plugin handshake, TLS and gRPC server; its own servicer only knows
the library's limited schema model, so we hand `run_provider` our raw-schema servicer.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tf.provider
from tf import runner

from typhoon_tf.testing.fakeprovider.schema import load_schema_doc
from typhoon_tf.testing.fakeprovider.servicer import FakeProviderService


class _ProviderIdentity:
    """The little of `tf.iface.Provider` that `run_provider` touches outside our servicer."""

    def __init__(self, address: str) -> None:
        self._address = address

    def full_name(self) -> str:
        return self._address


# Never hand Terraform a certificate that could expire during a run.
_CERT_MARGIN_SECONDS = 3600


def _expiry_file() -> Path:
    cache: Path = runner._get_cert_cache_path()
    return cache.with_name("typhoon-tf-cert-expiry.json")


def _record_expiry(cert_pem: str) -> float:
    from cryptography import x509

    not_after = x509.load_pem_x509_certificate(cert_pem.encode()).not_valid_after_utc
    digest = hashlib.sha256(cert_pem.encode()).hexdigest()
    _expiry_file().write_text(json.dumps({"sha256": digest, "not_after": not_after.timestamp()}))
    return not_after.timestamp()


def _fresh(not_after: float) -> bool:
    return not_after > time.time() + _CERT_MARGIN_SECONDS


def _cached_certificate() -> tuple[bytes, Any] | None:
    """The cached certificate if our record says it is fresh; None when it must be made
    (again) by `tf`. A record of a stale certificate removes it, or `tf` would hand it out
    until it has actually expired."""
    import grpc  # type: ignore[import-untyped]

    try:
        cached = json.loads(runner._get_cert_cache_path().read_text())
        expiry = json.loads(_expiry_file().read_text())
        cert_pem: str = cached["cert_pem"]
        if expiry["sha256"] != hashlib.sha256(cert_pem.encode()).hexdigest():
            return None
        if not _fresh(expiry["not_after"]):
            runner._get_cert_cache_path().unlink()
            return None
        credentials = grpc.ssl_server_credentials(
            [(cached["key_pem"].encode(), cert_pem.encode())], require_client_auth=False
        )
        return base64.b64decode(cached["cert_chain"]), credentials
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _server_certificate() -> tuple[bytes, Any]:
    """`tf`'s cached self-signed certificate, checked against an expiry we recorded: `tf`
    parses it with `cryptography` at every start (a fifth of a fake's start-up) to learn what
    one number tells. Falls back to `tf`'s own function, which makes or renews it."""
    cached = _cached_certificate()
    if cached is not None:
        return cached
    for _attempt in range(2):
        chain, credentials = _tf_self_signed_cert()
        try:
            not_after = _record_expiry(
                json.loads(runner._get_cert_cache_path().read_text())["cert_pem"]
            )
        except (OSError, ValueError, KeyError):
            break  # no record: the next start only takes this path again
        if _fresh(not_after):
            break
        # `tf` handed out a certificate it cached earlier, about to expire: make a new one.
        with contextlib.suppress(OSError):
            runner._get_cert_cache_path().unlink()
    return chain, credentials


_tf_self_signed_cert: Callable[[], tuple[bytes, Any]] = runner._self_signed_cert


def main(schema_file: str) -> None:
    doc = load_schema_doc(Path(schema_file))
    service = FakeProviderService(doc)

    def servicer_factory(_provider: Any) -> FakeProviderService:
        return service

    tf.provider.ProviderServicer = servicer_factory
    runner._self_signed_cert = _server_certificate
    runner.run_provider(_ProviderIdentity(doc.address))


def preload() -> Callable[[str], None]:
    """Import what serving needs, and parse the shared tables, ahead of the zygote's forks.
    Nothing here may start a thread or touch gRPC's core (a forked child could hang)."""
    import grpc  # noqa: F401
    from tf.gen import (  # noqa: F401
        grpc_controller_pb2,
        grpc_controller_pb2_grpc,
        grpc_stdio_pb2_grpc,
        tfplugin_pb2_grpc,
    )

    from typhoon_tf.testing.fakeprovider.constraints import load_constraints
    from typhoon_tf.testing.fakeprovider.force_new import load_table

    load_constraints()
    load_table()
    return main
