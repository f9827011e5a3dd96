"""Small platform-owned Butane configs turned into Terraform `templatefile()` templates.

Some platforms need an extra Ignition config besides the node's (bare-metal Flatcar boots a
PXE installer first). Its Butane source lives in the platform folder and may contain
`${name}` Terraform interpolations for apply-time values. They are swapped for sentinel
words, the Butane is transpiled at generate time, and the sentinels are turned back into
interpolations in the JSON text.

Contract for callers: every interpolation lands *inside* a JSON string, so each value must
be passed JSON-string-escaped (`substr(jsonencode(v), 1, length(jsonencode(v)) - 2)`).
An interpolation that Butane would hide in a data URL (file contents) is rejected here:
put apply-time values in systemd units (e.g. `Environment=`) or user fields instead.
"""

from __future__ import annotations

import re
from typing import Any

from typhoon_tf.butane import serialize, translate
from typhoon_tf.ignition.downconvert import downconvert

_INTERPOLATION = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


def _sentinel(name: str) -> str:
    return f"tftemplatehole{name.replace('_', 'x')}end"


def _in_plain_string(node: Any, sentinel: str) -> bool:
    """Whether `sentinel` appears somewhere, and only in strings that are not data URLs."""
    found = False
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and sentinel in item:
            if item.startswith("data:"):
                return False
            found = True
    return found


def butane_tftpl(text: str, *, ignition_version: str, source_name: str) -> tuple[str, list[str]]:
    """Compact Ignition JSON template of Butane `text`, and the variables it interpolates."""
    names = sorted(set(_INTERPOLATION.findall(text)))
    with_sentinels = _INTERPOLATION.sub(lambda m: _sentinel(m.group(1)), text)
    config = translate(with_sentinels, strict=True, source_name=source_name)
    for name in names:
        if not _in_plain_string(config, _sentinel(name)):
            raise AssertionError(
                f"{source_name}: ${{{name}}} would land in file contents (a data URL, "
                "possibly encoded); use it in a systemd unit or a user field"
            )
    if ignition_version.startswith("2."):
        config = downconvert(config, ignition_version)
    json_text = serialize(config).replace("${", "$${").replace("%{", "%%{")
    for name in names:
        json_text = json_text.replace(_sentinel(name), "${" + name + "}")
    return json_text + "\n", names
