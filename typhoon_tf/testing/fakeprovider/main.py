"""Entry point of a fake provider process: `main(schema_file)` serves that schema.

PyPI `tf` supplies the go-plugin handshake, TLS and gRPC server; its own servicer only knows
the library's limited schema model, so we hand `run_provider` our raw-schema servicer.
"""

from __future__ import annotations

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


def main(schema_file: str) -> None:
    doc = load_schema_doc(Path(schema_file))
    service = FakeProviderService(doc)

    def servicer_factory(_provider: Any) -> FakeProviderService:
        return service

    tf.provider.ProviderServicer = servicer_factory
    runner.run_provider(_ProviderIdentity(doc.address))
