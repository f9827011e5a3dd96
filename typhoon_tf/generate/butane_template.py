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

from typhoon_tf.butane import serialize, translate
from typhoon_tf.ignition.downconvert import downconvert

_INTERPOLATION = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


def _sentinel(name: str) -> str:
    return f"tftemplatehole{name.replace('_', 'x')}end"


def butane_tftpl(text: str, *, ignition_version: str, source_name: str) -> tuple[str, list[str]]:
    """Compact Ignition JSON template of Butane `text`, and the variables it interpolates."""
    names = sorted(set(_INTERPOLATION.findall(text)))
    with_sentinels = _INTERPOLATION.sub(lambda m: _sentinel(m.group(1)), text)
    config = translate(with_sentinels, strict=True, source_name=source_name)
    if ignition_version.startswith("2."):
        config = downconvert(config, ignition_version)
    json_text = serialize(config).replace("${", "$${").replace("%{", "%%{")
    for name in names:
        sentinel = _sentinel(name)
        if sentinel not in json_text:
            raise AssertionError(
                f"{source_name}: ${{{name}}} ends up encoded (e.g. in file contents); "
                "use it in a systemd unit or a user field"
            )
        json_text = json_text.replace(sentinel, "${" + name + "}")
    return json_text + "\n", names
