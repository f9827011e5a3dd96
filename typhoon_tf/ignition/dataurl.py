"""RFC 2397 `data:` URLs exactly as Butane writes them, and a decoder for any of them.

Butane encodes inline/local contents three ways and keeps the shortest: percent-encoding
(`data:,...`), base64 (`data:;base64,...`) and gzip+base64 (which also sets
`"compression": "gzip"`). Ties go to percent-encoding; gzip must win by more than the
four characters its `"gzip"` value costs. Gzip bytes cannot match Go's `compress/flate`
exactly, but the stream has the same shape (data blocks, then an empty final stored
block, Go's header bytes), so the encoding choice agrees with Butane far more often.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from typing import NamedTuple
from urllib.parse import quote, unquote_to_bytes

from typhoon_tf.errors import UserError

# Go's dataurl.Escape keeps exactly these bytes (besides A-Z a-z 0-9), uppercase hex otherwise.
_SAFE = "-_.!~*'()"
# Go gzip header: magic, deflate, no flags, mtime 0, XFL=2 (best compression), OS=255.
_GO_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
# "compression":"gzip" is four characters longer than "compression":"".
_GZIP_FIELD_COST = len("gzip")
_SAFE_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + _SAFE.encode(
    "ascii"
)
# Smallest possible gzip data URL payload: header, >=1 deflate byte, the 5-byte end
# marker and the trailer, base64-encoded, plus ";base64,".
_GZIP_MIN_CHARS = 8 + 4 * ((10 + 1 + 5 + 8 + 2) // 3)


class DataURL(NamedTuple):
    """An encoded resource: the `source` URL and the `compression` value to emit."""

    source: str
    compression: str  # "" or "gzip"


def percent_escape(data: bytes) -> str:
    """Percent-encode like Go's `dataurl.Escape` (RFC 2396 unreserved bytes stay)."""
    return quote(data, safe=_SAFE)


def go_gzip(data: bytes) -> bytes:
    """Gzip `data` at level 9 with Go's header and Go's end-of-stream layout."""
    raw = _deflate_sync_flushed(data)
    return _GO_GZIP_HEADER + _finalize_sync_flushed(raw, data) + _gzip_trailer(data)


def _deflate_sync_flushed(data: bytes) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush(zlib.Z_SYNC_FLUSH)


def _gzip_trailer(data: bytes) -> bytes:
    return struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)


def _finalize_sync_flushed(raw: bytes, data: bytes) -> bytes:
    """Turn the empty non-final stored block that ends a sync flush into a final one.

    Go closes a stream with exactly such a final empty stored block, so this keeps
    the length identical in shape to Go's. The header bit's position is not known
    from the outside: it lies in the run of zero bits before the `00 00 ff ff`, so
    each candidate there is tried (the common prefix is decompressed only once).
    """
    body = raw[:-4]
    total_bits = len(body) * 8
    first = total_bits
    while (
        first > 0
        and first > total_bits - 24
        and not body[(first - 1) // 8] >> ((first - 1) % 8) & 1
    ):
        first -= 1
    start_byte = first // 8
    prefix = zlib.decompressobj(-15)
    try:
        head = prefix.decompress(body[:start_byte])
    except zlib.error:
        return raw + b"\x03\x00"
    for bit in range(total_bits - 3, first - 1, -1):
        tail = bytearray(body[start_byte:])
        tail[bit // 8 - start_byte] |= 1 << (bit % 8)
        dec = prefix.copy()
        try:
            out = dec.decompress(bytes(tail) + raw[-4:])
        except zlib.error:
            continue
        if dec.eof and not dec.unused_data and head + out == data:
            return body[:start_byte] + bytes(tail) + raw[-4:]
    # Fallback: append an empty final fixed-Huffman block (always valid).
    return raw + b"\x03\x00"


def make_data_url(data: bytes, *, allow_gzip: bool = True) -> DataURL:
    """Encode `data` as Butane does when the user did not set `compression`.

    Candidate lengths are computed before any encoding is built, so only the
    winner is materialized (this runs for every file of every node).
    """
    pct_len = 1 + len(data) + 2 * len(data.translate(None, _SAFE_BYTES))
    b64_len = 8 + 4 * ((len(data) + 2) // 3)
    best_len = min(pct_len, b64_len)
    if allow_gzip and best_len > _GZIP_MIN_CHARS + _GZIP_FIELD_COST:
        deflated = _deflate_sync_flushed(data)
        gz_len = 8 + 4 * ((len(_GO_GZIP_HEADER) + len(deflated) + 8 + 2) // 3)
        if gz_len + _GZIP_FIELD_COST < best_len:
            gz = _GO_GZIP_HEADER + _finalize_sync_flushed(deflated, data) + _gzip_trailer(data)
            return DataURL("data:;base64," + base64.b64encode(gz).decode("ascii"), "gzip")
    if b64_len < pct_len:
        return DataURL("data:;base64," + base64.b64encode(data).decode("ascii"), "")
    return DataURL("data:," + percent_escape(data), "")


def make_data_url_uncompressed(data: bytes) -> str:
    """Shortest of percent-encoding and base64 (contents the user says are compressed)."""
    return make_data_url(data, allow_gzip=False).source


def make_percent_data_url(data: bytes) -> str:
    """`data:,` + percent-encoding: what fcos 1.0.0 always writes."""
    return "data:," + percent_escape(data)


_DATA_URL = re.compile(r"data:(?P<meta>[^,]*),(?P<payload>.*)\Z", re.DOTALL)
_PCT_OK = re.compile(r"(?:[A-Za-z0-9\-_.!~*'();/?:@&=+$,\[\]]|%[0-9A-Fa-f]{2})*\Z")


def is_data_url(url: str) -> bool:
    return url[:5].lower() == "data:"


def decode_data_url(url: str, compression: str | None = None) -> bytes:
    """Decode a `data:` URL to bytes, gunzipping when `compression` is "gzip".

    Raises `UserError` for malformed URLs or payloads; callers add the location.
    """
    match = _DATA_URL.match(url)
    if match is None or not is_data_url(url):
        raise UserError("invalid data URL: missing ',' after the media type")
    params = [p.strip().lower() for p in match["meta"].split(";")]
    payload = match["payload"]
    if "base64" in params[1:]:
        try:
            data = base64.b64decode(unquote_to_bytes(payload), validate=True)
        except (binascii.Error, ValueError) as err:
            raise UserError(f"invalid base64 in data URL: {err}") from None
    else:
        if not _PCT_OK.match(payload):
            raise UserError("invalid data character in data URL")
        data = unquote_to_bytes(payload)
    if compression == "gzip":
        try:
            dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = dec.decompress(data) + dec.flush()
        except zlib.error as err:
            raise UserError(f"data URL is not valid gzip: {err}") from None
    return data
