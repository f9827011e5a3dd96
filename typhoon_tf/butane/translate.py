"""Decoded Butane → Ignition dicts, key order as Butane's Go structs, plus origins.

Every output dict is registered in `Origins` with the decoded `Obj` it came from, so
the Ignition validator can report problems against the user's YAML path and line.
"""

from __future__ import annotations

from typing import Any

from typhoon_tf.butane.capabilities import Spec
from typhoon_tf.butane.decode import Obj
from typhoon_tf.butane.igntypes import FIELDS, OMIT_ZERO_INTS, REQUIRED_STRINGS
from typhoon_tf.butane.localfiles import LocalFileError, read_local
from typhoon_tf.butane.report import Report
from typhoon_tf.ignition.dataurl import (
    make_data_url,
    make_data_url_uncompressed,
    make_percent_data_url,
)


class Origins:
    """Output dict (by identity) → (decoded object, Ignition type) it was built from."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Obj, str]] = {}
        self._keepalive: list[dict[str, Any]] = []

    def add(self, out: dict[str, Any], obj: Obj, itype: str) -> None:
        self._by_id[id(out)] = (obj, itype)
        self._keepalive.append(out)

    def get(self, out: dict[str, Any]) -> tuple[Obj, str] | None:
        return self._by_id.get(id(out))


def encode_contents(
    data: bytes, user_compression: str | None, spec: Spec
) -> tuple[str, str | None]:
    """(source, compression) for inline/local data; compression None means "leave unset"."""
    if not spec.has("compression_field"):
        return make_percent_data_url(data), user_compression
    if not user_compression:
        url = make_data_url(data, allow_gzip=spec.has("auto_compression"))
        return url.source, url.compression
    # The user says the data is already compressed: only pick the URL encoding.
    return make_data_url_uncompressed(data), user_compression


class Translator:
    def __init__(self, spec: Spec, report: Report, files_dir: str | None) -> None:
        self.spec = spec
        self.report = report
        self.files_dir = files_dir
        self.origins = Origins()

    def config(self, root: Obj) -> dict[str, Any]:
        self._desugar_locals(root)
        ignition_obj = root.obj("ignition") or Obj("Ignition", ("ignition",), root.mark)
        out: dict[str, Any] = {}
        ignition = self.struct(ignition_obj, "Ignition")
        ignition["version"] = self.spec.ignition_version
        out["ignition"] = ignition
        for jkey, ykey, sub in FIELDS["Config"][1:]:
            child = root.obj(ykey)
            if child is not None and sub is not None:
                value = self.struct(child, sub)
                if value:
                    out[jkey] = value
        self.origins.add(out, root, "Config")
        return out

    def struct(self, obj: Obj, itype: str) -> dict[str, Any]:
        if itype == "Resource":
            return self.resource(obj)
        out: dict[str, Any] = {}
        required = REQUIRED_STRINGS.get(itype)
        omit_zero = OMIT_ZERO_INTS.get(itype)
        values = obj.values
        for jkey, ykey, sub in FIELDS[itype]:
            if ykey not in values:
                if jkey == required:
                    out[jkey] = ""
                continue
            value = values[ykey]
            if sub is None:
                if (isinstance(value, list) and not value) or (jkey == omit_zero and value == 0):
                    continue
                out[jkey] = list(value) if isinstance(value, list) else value
            elif isinstance(value, list):
                items = [self.struct(item, sub) for item in value]
                if items:
                    out[jkey] = items
            else:
                nested = self.struct(value, sub)
                if nested:  # Go's omitempty drops empty structs
                    out[jkey] = nested
        self.origins.add(out, obj, itype)
        return out

    def resource(self, obj: Obj) -> dict[str, Any]:
        compression: Any = obj.get("compression")
        source: Any = obj.get("source")
        data = self._resource_data(obj)
        if data is not None:
            source, compression = encode_contents(data, compression, self.spec)
        out: dict[str, Any] = {}
        if compression is not None:
            out["compression"] = compression
        headers = [self.struct(h, "HTTPHeader") for h in obj.objs("http_headers")]
        if headers:
            out["httpHeaders"] = headers
        if source is not None:
            out["source"] = source
        verification = obj.obj("verification")
        if verification is not None:
            ver = self.struct(verification, "Verification")
            if ver:
                out["verification"] = ver
        self.origins.add(out, obj, "Resource")
        return out

    def _resource_data(self, obj: Obj) -> bytes | None:
        if obj.has("inline"):
            text: str = obj.get("inline")
            return text.encode("utf-8", "surrogatepass")
        if obj.has("local"):
            return self.read_local(obj, "local")
        return None

    def read_local(self, obj: Obj, key: str, local: str | None = None) -> bytes:
        try:
            return read_local(self.files_dir, local if local is not None else obj.get(key))
        except LocalFileError as err:
            path, mark = obj.where(key)
            raise self.report.fail(str(err), path, mark) from None

    def _desugar_locals(self, root: Obj) -> None:
        """Fold `contents_local` and `ssh_authorized_keys_local` into their plain forms."""
        systemd = root.obj("systemd")
        for unit in systemd.objs("units") if systemd else []:
            self._inline_contents_local(unit)
            for dropin in unit.objs("dropins"):
                self._inline_contents_local(dropin)
        passwd = root.obj("passwd")
        for user in passwd.objs("users") if passwd else []:
            locals_ = user.get("ssh_authorized_keys_local") or []
            if not locals_:
                continue
            keys = list(user.get("ssh_authorized_keys") or [])
            for local in locals_:
                text = self.read_local(user, "ssh_authorized_keys_local", local)
                lines = text.decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
                keys.extend(line for line in lines if line)
            user.values["ssh_authorized_keys"] = keys
            user.value_marks.setdefault(
                "ssh_authorized_keys", user.mark_of("ssh_authorized_keys_local")
            )

    def _inline_contents_local(self, obj: Obj) -> None:
        if not obj.has("contents_local") or obj.has("contents"):
            return
        data = self.read_local(obj, "contents_local")
        obj.values["contents"] = data.decode("utf-8", "replace")
        obj.value_marks["contents"] = obj.mark_of("contents_local")
