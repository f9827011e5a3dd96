"""Every platform x OS x role x Ignition version: valid, deterministic, small, sane kubelet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_nodes_helpers import (
    DEBIAN_VALIDATOR_VERSIONS,
    config_of,
    file_text,
    node_id,
    node_matrix,
    rendered,
    require_tool,
    version_matrix,
)

from typhoon_tf import conventions
from typhoon_tf.ignition.validate import validate
from typhoon_tf.nodes import OS_PROFILES, NodeOptions, node_template, render

VERSIONS = list(version_matrix())
NODES = list(node_matrix())
# AWS user_data is capped at 16 KiB; leave room for snippets (issue 4).
AWS_BUDGET = 12 * 1024


@pytest.mark.parametrize(
    "platform,os_name,role,version", VERSIONS, ids=[node_id(*v) for v in VERSIONS]
)
def test_config_validates(platform: str, os_name: str, role: str, version: str) -> None:
    config = config_of(platform, os_name, role, version)
    assert config["ignition"]["version"] == version
    problems = validate(config, warnings=True)
    assert problems == [], [str(p) for p in problems]


@pytest.mark.parametrize(
    "platform,os_name,role,version",
    [v for v in VERSIONS if v[3] in DEBIAN_VALIDATOR_VERSIONS],
    ids=[node_id(*v) for v in VERSIONS if v[3] in DEBIAN_VALIDATOR_VERSIONS],
)
def test_upstream_validator_accepts(
    platform: str, os_name: str, role: str, version: str, tmp_path: Path
) -> None:
    tool = require_tool("ignition-validate")
    path = tmp_path / "node.ign"
    path.write_text(rendered(platform, os_name, role, version))
    proc = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=60)
    # rc 0 and no output: not even a warning
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_kubelet_configuration(platform: str, os_name: str, role: str) -> None:
    kubelet = yaml.safe_load(
        file_text(config_of(platform, os_name, role), conventions.KUBELET_CONFIG)
    )
    assert kubelet["apiVersion"] == "kubelet.config.k8s.io/v1beta1"
    assert kubelet["kind"] == "KubeletConfiguration"
    assert kubelet["cgroupDriver"] == OS_PROFILES[os_name].default_cgroup_driver
    assert kubelet["staticPodPath"] == conventions.POD_MANIFEST_PATH
    assert kubelet["volumePluginDir"] == conventions.VOLUME_PLUGIN_DIR
    assert kubelet["clusterDNS"] == ["10.3.0.10"]
    assert kubelet["authentication"]["anonymous"]["enabled"] is False
    assert kubelet["authorization"]["mode"] == "Webhook"


def test_kubelet_configuration_fields_are_known() -> None:
    """Every key we set exists in KubeletConfiguration v1beta1 (vendored field list)."""
    known = json.loads(
        (Path(__file__).parent / "data/nodes/kubelet-config-v1beta1.json").read_text()
    )
    kubelet = yaml.safe_load(
        file_text(config_of("aws", "fedora-coreos", "worker"), conventions.KUBELET_CONFIG)
    )

    def walk(value: object, schema: dict[str, object], where: str) -> None:
        assert isinstance(value, dict), where
        for key, sub in value.items():
            assert key in schema, f"{where}{key} is not a KubeletConfiguration field"
            if isinstance(schema[key], dict):
                walk(sub, schema[key], f"{where}{key}.")  # type: ignore[arg-type]
            else:
                assert type(sub).__name__ == schema[key], f"{where}{key}: {type(sub).__name__}"

    walk(kubelet, known, "")


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_size_within_user_data_budget(platform: str, os_name: str, role: str) -> None:
    for version in OS_PROFILES[os_name].butane_versions:
        assert len(rendered(platform, os_name, role, version).encode()) <= AWS_BUDGET


def test_render_is_deterministic() -> None:
    for platform, os_name, role in NODES:
        first = json.dumps(render(platform, os_name, role))
        assert json.dumps(render(platform, os_name, role)) == first
        assert (
            node_template(platform, os_name, role).text
            == node_template(platform, os_name, role).text
        )


def test_output_is_stable_across_processes() -> None:
    """Another interpreter with another hash seed prints the same bytes."""
    code = (
        "import sys; from typhoon_tf.cli import main; "
        "sys.exit(main(['node-config', '--platform', 'aws', '--os', 'flatcar-linux', "
        "'--role', 'controller', '--ignition-version', '2.3.0']))"
    )
    outputs = set()
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    in_process = render(
        "aws", "flatcar-linux", "controller", options=NodeOptions(ignition_version="2.3.0")
    )
    assert json.loads(outputs.pop()) == in_process
