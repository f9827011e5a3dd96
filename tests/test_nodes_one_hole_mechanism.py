"""One hole mechanism for node templates and platforms' own Butane templates."""

from __future__ import annotations

import json
import re

import pytest

from typhoon_tf.nodes import node_template
from typhoon_tf.nodes.render import butane_template

REMOTE_SNIPPET = """\
variant: fcos
version: 1.4.0
storage:
  files:
    - path: /etc/remote.conf
      contents:
        source: https://example.com/remote.conf
"""


def test_a_snippet_file_with_a_remote_source_is_kept_as_is() -> None:
    # Hole filling looks into data URLs only; a remote source used to be a UserError.
    template = node_template("aws", "fedora-coreos", "worker", snippets=[REMOTE_SNIPPET])
    assert '"source": "https://example.com/remote.conf"' in template.text


def test_platform_template_holes_land_in_strings_and_user_fields() -> None:
    butane = (
        "variant: flatcar\nversion: 1.0.0\npasswd:\n  users:\n    - name: core\n"
        "      ssh_authorized_keys:\n        - ${key}\n"
        "systemd:\n  units:\n    - name: a.service\n      contents: |\n"
        "        [Service]\n        Environment=URL=${url}\n        Environment=KEY=${key}\n"
    )
    text, names = butane_template(butane, ignition_version="3.3.0", source_name="t")
    assert names == ["key", "url"]
    filled = re.sub(r"\$\{(\w+)\}", lambda m: f"v-{m.group(1)}", text)
    config = json.loads(filled)
    assert config["passwd"]["users"][0]["sshAuthorizedKeys"] == ["v-key"]
    assert "Environment=KEY=v-key" in config["systemd"]["units"][0]["contents"]


def test_platform_template_refuses_a_hole_in_file_contents_on_spec_2() -> None:
    # File contents are data URLs (maybe encoded); an interpolation there would be lost.
    butane = "variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /x\n"
    butane += "      contents:\n        inline: ${gone}\n"
    with pytest.raises(AssertionError, match=r"t: \$\{gone\} would land in file contents"):
        butane_template(butane, ignition_version="2.3.0", source_name="t")
