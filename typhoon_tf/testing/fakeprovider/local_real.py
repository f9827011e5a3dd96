"""`local_file` / `local_sensitive_file`: write and read files for real, with the hashes
hashicorp/local reports."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from typhoon_tf.testing.fakeprovider.errors import ProviderError


def _content(planned: dict[str, Any]) -> bytes:
    for key in ("content", "sensitive_content"):
        if planned.get(key) is not None:
            return str(planned[key]).encode()
    if planned.get("content_base64") is not None:
        return base64.b64decode(planned["content_base64"])
    if planned.get("source") is not None:
        return Path(planned["source"]).read_bytes()
    return b""


def _hashes(data: bytes) -> dict[str, Any]:
    return {
        "id": hashlib.sha1(data).hexdigest(),
        "content_md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        "content_sha1": hashlib.sha1(data).hexdigest(),
        "content_sha256": hashlib.sha256(data).hexdigest(),
        "content_sha512": hashlib.sha512(data).hexdigest(),
        "content_base64sha256": base64.b64encode(hashlib.sha256(data).digest()).decode(),
        "content_base64sha512": base64.b64encode(hashlib.sha512(data).digest()).decode(),
    }


def write_file(planned: dict[str, Any]) -> dict[str, Any]:
    data = _content(planned)
    path = Path(str(planned.get("filename")))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(int(str(planned.get("file_permission") or "0777"), 8))
    return {"file_permission": "0777", "directory_permission": "0777", **_hashes(data)}


def read_file(config: dict[str, Any]) -> dict[str, Any]:
    path = Path(str(config.get("filename")))
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ProviderError(
            "Read local file data source error", str(err), path=["filename"]
        ) from err
    return {
        "content": data.decode(errors="replace"),
        "content_base64": base64.b64encode(data).decode(),
        **_hashes(data),
    }
