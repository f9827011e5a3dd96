"""URL rules Ignition applies to every `source` (and to proxies and Tang servers).

Ignition parses with Go's `net/url`, then checks the scheme against the spec version's
list, and for `data:` URLs parses RFC 2397 syntax strictly (vincent-petithory/dataurl):
a media type needs a slash, the data part may hold only RFC 2396 `uric` characters and
valid `%XX` escapes, and base64 data must be canonical padded base64.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote, unquote_to_bytes

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 2396 uric = reserved | unreserved | escaped
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_URIC = frozenset(_ALNUM + "-_.!~*'()" + ";/?:@&=+$,")
_TOKEN = frozenset(_ALNUM + "!#$&'*+-.^_`|~%")


def url_scheme(url: str) -> str:
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def parse_error(url: str) -> str | None:
    """Why Go's url.Parse would reject `url`, or None."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "unable to parse url"
    if _BAD_ESCAPE.search(url.split("#", 1)[0]) and url_scheme(url) != "data":
        return "unable to parse url"
    scheme = url_scheme(url)
    rest = url[len(scheme) + 1 :] if scheme else url
    if rest.startswith("//"):
        host = rest[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if " " in host:
            return "unable to parse url"
    return None


def source_error(url: str, schemes: frozenset[str]) -> str | None:
    """The message Ignition gives for a bad resource `source`, or None if it is fine.

    `schemes` are the ones the spec version allows (`specrules.SpecRules.schemes`).
    """
    if url == "":
        return None  # an empty source is accepted and means "no contents"
    problem = parse_error(url)
    if problem:
        return problem
    scheme = url_scheme(url)
    if scheme not in schemes:
        return "invalid url scheme"
    if scheme == "data":
        return data_url_error(url)
    if scheme == "s3":
        return _s3_error(url)
    if scheme == "arn":
        return _arn_error(url)
    return None


def _s3_error(url: str) -> str | None:
    """An S3 URL may pin an object version, but not an empty one."""
    query = url.split("#", 1)[0].partition("?")[2]
    for pair in query.split("&") if query else ():
        name, _, value = pair.partition("=")
        if unquote(name.replace("+", " ")) == "versionId":
            # Go's Query()["versionId"][0]: only the first occurrence counts.
            return "invalid S3 object VersionId" if not value else None
    return None


def _arn_error(url: str) -> str | None:
    """`arn:PARTITION:s3:REGION:ACCOUNT:RESOURCE` naming an object (bucket/key) or an
    access point object (accesspoint/NAME/KEY)."""
    sections = url.split("#", 1)[0].split(":", 5)
    if len(sections) < 6 or sections[2] != "s3":
        return "invalid S3 ARN format"
    pieces = url.split("/")
    needed = 3 if sections[5].startswith("accesspoint/") else 2
    return "invalid S3 ARN format" if len(pieces) < needed else _s3_error(url)


def _media_type_error(media: str) -> str | None:
    params = media.split(";")
    mime = params[0]
    if mime:
        if "/" not in mime:
            return "missing media type slash"
        kind, _, sub = mime.partition("/")
        if not kind or not sub or not set(kind + sub) <= _TOKEN:
            return "invalid media type"
    for param in params[1:]:
        name, eq, _ = param.partition("=")
        if not eq or not name:
            return "invalid media type parameter"
    return None


def data_url_error(url: str) -> str | None:
    """RFC 2397 syntax as Ignition's data URL parser enforces it."""
    body = url[len("data:") :]
    header, comma, data = body.partition(",")
    if not comma:
        return "missing comma"
    is_base64 = header.endswith(";base64") or header == "base64"
    media = header[: -len(";base64")] if header.endswith(";base64") else header
    if header == "base64":
        media = ""
    problem = _media_type_error(media)
    if problem:
        if "/" not in media.split(";")[0] and "=" not in media.split(";")[0] and media:
            return "missing media type slash"
        return problem
    for ch in data:
        if ch not in _URIC and ch != "%":
            return "invalid data character"
    if re.search(r"%(?![0-9A-Fa-f]{2})", data):
        return "invalid escape sequence in data"
    if is_base64:
        raw = unquote_to_bytes(data)
        try:
            base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            return "illegal base64 data"
    return _decode_error(url)


def _decode_error(url: str) -> str | None:
    """Last line of defence: the project's decoder must be able to read it too."""
    from typhoon_tf.errors import UserError
    from typhoon_tf.ignition.dataurl import decode_data_url

    try:
        decode_data_url(url)
    except UserError as err:
        return err.message
    return None
