"""Generate-time Butane snippets merge with Ignition's rules into configs and templates."""

from __future__ import annotations

import pytest
from test_nodes_helpers import file_text, unit

from typhoon_tf.errors import UserError
from typhoon_tf.nodes import apply_snippets, node_template, render

SNIPPET = """\
variant: fcos
version: 1.4.0
systemd:
  units:
    - name: kubelet.service
      dropins:
        - name: 10-image-override.conf
          contents: |
            [Service]
            Environment=KUBELET_IMAGE=docker.io/psdn/kubelet:v1.36.1
storage:
  files:
    - path: /etc/sysctl.d/max-user-watches.conf
      mode: 0600
      contents:
        inline: fs.inotify.max_user_watches=1048576
"""


def test_snippet_adds_a_dropin_and_replaces_a_file() -> None:
    base = render("aws", "fedora-coreos", "worker")
    merged = apply_snippets(base, [SNIPPET])
    kubelet = unit(merged, "kubelet.service")
    assert kubelet["contents"] == unit(base, "kubelet.service")["contents"]  # kept
    assert kubelet["enabled"] is True
    assert kubelet["dropins"][0]["name"] == "10-image-override.conf"
    assert file_text(merged, "/etc/sysctl.d/max-user-watches.conf") == (
        "fs.inotify.max_user_watches=1048576"
    )
    paths = [f["path"] for f in merged["storage"]["files"]]
    assert len(paths) == len(set(paths))
    assert merged["ignition"]["version"] == "3.3.0"
    assert base == render("aws", "fedora-coreos", "worker")  # input untouched


def test_render_and_template_take_generate_time_snippets() -> None:
    config = render(
        "aws",
        "flatcar-linux",
        "worker",
        snippets=[SNIPPET.replace("fcos", "flatcar").replace("1.4.0", "1.0.0")],
        ignition_version="2.3.0",
    )
    assert config["ignition"]["version"] == "2.3.0"
    assert unit(config, "kubelet.service")["dropins"][0]["name"] == "10-image-override.conf"
    template = node_template("aws", "fedora-coreos", "worker", snippets=[SNIPPET])
    assert "10-image-override.conf" in template.text


def test_snippet_needs_a_variant() -> None:
    with pytest.raises(UserError):
        apply_snippets(render("aws", "fedora-coreos", "worker"), ["storage: {}\n"])


def test_snippet_newer_than_the_node_is_refused() -> None:
    newer = SNIPPET.replace("version: 1.4.0", "version: 1.5.0")  # Ignition 3.4.0
    with pytest.raises(UserError, match="newer than the node's 3.3.0"):
        apply_snippets(render("aws", "fedora-coreos", "worker"), [newer])
    merged = render("aws", "fedora-coreos", "worker", ignition_version="3.4.0", snippets=[newer])
    assert merged["ignition"]["version"] == "3.4.0"
