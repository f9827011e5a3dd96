"""`typhoon-tf node-config`: prints the rendered config; bad settings exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from typhoon_tf.cli import main
from typhoon_tf.nodes import render


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["node-config", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_prints_the_rendered_config(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "--platform", "aws", "--os", "fedora-coreos", "--role", "controller")
    assert rc == 0
    assert out.endswith("}\n") and "\n" not in out[:-1]  # compact by default
    assert json.loads(out) == render("aws", "fedora-coreos", "controller")


def test_pretty_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(
        capsys,
        "--platform",
        "bare-metal",
        "--os",
        "flatcar-linux",
        "--role",
        "worker",
        "--ignition-version",
        "2.3.0",
        "--pretty",
    )
    assert rc == 0
    assert out.startswith("{\n  ")
    assert json.loads(out)["ignition"]["version"] == "2.3.0"


def test_values_from_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cfg = tmp_path / "cluster.yaml"
    cfg.write_text(
        "ssh_authorized_key: ssh-ed25519 AAAA me@example\n"
        "node_labels: [pool=web]\n"
        "etcd_name: etcd9\n"  # a controller value: ignored for a worker
        "cgroup_driver: cgroupfs\n"
    )
    rc, out, _ = _run(
        capsys, "--platform", "aws", "--os", "flatcar-linux", "--role", "worker", "-c", str(cfg)
    )
    assert rc == 0
    config = json.loads(out)
    assert config["passwd"]["users"][0]["sshAuthorizedKeys"] == ["ssh-ed25519 AAAA me@example"]
    expected = render(
        "aws",
        "flatcar-linux",
        "worker",
        {"ssh_authorized_key": "ssh-ed25519 AAAA me@example", "node_labels": ["pool=web"]},
        __import__("typhoon_tf.nodes", fromlist=["NodeOptions"]).NodeOptions(
            cgroup_driver="cgroupfs"
        ),
    )
    assert config == expected


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("bogus_key: 1\n", "bogus_key: unknown node setting"),
        ("node_labels: pool=web\n", "node_labels: expected a list of strings"),
        (
            "cgroup_driver: cgroupfs\n",
            "cgroup_driver: fedora-coreos supports cgroup driver systemd",
        ),
        ("ignition_version: 2.3.0\n", "ignition_version: fedora-coreos nodes support Ignition"),
        ("- a\n", "expected a mapping"),
    ],
)
def test_bad_settings_name_file_and_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, needle: str
) -> None:
    cfg = tmp_path / "cluster.yaml"
    cfg.write_text(text)
    rc, out, err = _run(
        capsys, "--platform", "aws", "--os", "fedora-coreos", "--role", "worker", "-c", str(cfg)
    )
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1 and str(cfg) in err and needle in err, err


def test_unknown_platform_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            ["node-config", "--platform", "openstack", "--os", "fedora-coreos", "--role", "worker"]
        )
    assert exc.value.code == 2
