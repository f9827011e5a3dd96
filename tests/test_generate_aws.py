"""AWS end to end, offline: cluster config → generated root module → real Terraform
(init, fmt, validate, plan, apply, no-change re-plan) → user_data read back from state →
ignition-validate → the real Ignition binary lays it out on a scratch root.

The harness removes SSH provisioners (copy-controller-secrets, bootstrap) from its scratch
copy only: they need reachable machines. Everything else runs as written.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cluster_oracles import (
    BUTANE_OF,
    apply_to_root,
    external_program_on_path,  # noqa: F401  (used by pytestmark)
    ignition_validate,
)
from test_nodes_helpers import scratch_dir
from uninstallable import NO_REAL_AWS_PROVIDER

from typhoon_tf.config import example_config, load_cluster_config
from typhoon_tf.generate import generate
from typhoon_tf.testing.harness import Result, verify_module
from typhoon_tf.testing.mirror import discover_real_providers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("external_program_on_path")]

CONTROLLER_SNIPPET = """\
variant: {variant}
version: {version}
storage:
  files:
    - path: /etc/typhoon-snippet/{name}
      mode: 0644
      contents:
        inline: from {name}
systemd:
  units:
    - name: {name}.service
      contents: |
        [Unit]
        Description=snippet unit {name}
        [Service]
        Type=oneshot
        ExecStart=/usr/bin/true
        [Install]
        WantedBy=multi-user.target
      enabled: true
"""


def snippet(os_name: str, name: str) -> str:
    variant, version = BUTANE_OF[os_name]
    return CONTROLLER_SNIPPET.format(variant=variant, version=version, name=name)


def user_data(result: Result) -> tuple[list[str], str]:
    rendered = result.rendered_user_data()
    controllers = [v for k, v in sorted(rendered.items()) if "aws_instance.controllers" in k]
    workers = [v for k, v in rendered.items() if "aws_launch_template.worker" in k]
    assert len(workers) == 1, sorted(rendered)
    return controllers, workers[0]


@pytest.fixture
def scratch() -> Iterator[Path]:
    with scratch_dir() as path:  # world-traversable: Ignition writes SSH keys as `core`
        yield path


def cluster_config(tmp_path: Path, os_name: str, controllers: int, workers: int) -> Path:
    """The example cluster resized; single-controller clusters also carry snippets, given
    both in the cluster config (merged at generate time) and as Terraform variables
    (transpiled by the external program, merged by Ignition at boot)."""
    example = example_config("aws", os_name)
    cluster = dict(example.variables, controller_count=controllers, worker_count=workers)
    doc: dict[str, Any] = {"platform": "aws", "os": os_name, "cluster": cluster}
    if controllers == 1:
        (tmp_path / "gen.bu").write_text(snippet(os_name, "generate-time"))
        doc["snippets"] = {"controller": ["gen.bu"]}
        cluster["controller_snippets"] = [snippet(os_name, "variable")]
        cluster["worker_snippets"] = [snippet(os_name, "worker-variable")]
    (tmp_path / "cluster.yaml").write_text(json.dumps(doc))
    return tmp_path / "cluster.yaml"


@pytest.mark.parametrize("os_name", ["fedora-coreos", "flatcar-linux"])
@pytest.mark.parametrize(("controllers", "workers"), [(1, 0), (3, 2)])
def test_aws_cluster_applies_offline(
    tmp_path: Path, scratch: Path, os_name: str, controllers: int, workers: int
) -> None:
    config = load_cluster_config(cluster_config(tmp_path, os_name, controllers, workers))
    out = generate(config, tmp_path / "cluster")

    result = verify_module(out, workdir=tmp_path / "work")

    assert {b.resource for b in result.removed_blocks} >= {
        "null_resource.copy-controller-secrets",
        "null_resource.bootstrap",
    }
    assert len(result.resources("aws_instance")) == controllers
    assert result.output("kubeconfig-admin").startswith("apiVersion: v1")

    controller_configs, worker_config = user_data(result)
    assert len(controller_configs) == controllers
    for i, text in enumerate(controller_configs):
        assert len(text.encode()) < 16 * 1024, "AWS user_data limit"
        ignition_validate(text, tmp_path)
        root = apply_to_root(text, scratch, f"controller{i}")
        assert (root / "etc/kubernetes/kubeconfig").read_text().startswith("apiVersion: v1")
        etcd_env = (root / "etc/etcd/etcd.env").read_text()
        assert f"ETCD_NAME=etcd{i}\n" in etcd_env
        assert etcd_env.count("https://tempest-etcd") == 2 + controllers
        assert (root / "etc/systemd/system/etcd-member.service").is_file()
        assert (root / "etc/systemd/system/kubelet.service").is_file()
        if controllers == 1:
            for name in ("generate-time", "variable"):
                assert (root / f"etc/typhoon-snippet/{name}").read_text() == f"from {name}"
                assert (root / f"etc/systemd/system/{name}.service").is_file()
    ignition_validate(worker_config, tmp_path)
    root = apply_to_root(worker_config, scratch, "worker")
    assert (root / "etc/kubernetes/kubeconfig").read_text().startswith("apiVersion: v1")
    assert not (root / "etc/etcd/etcd.env").exists()
    assert not (root / ZINCATI_STRATEGY).exists(), "no coordinated updates asked for"
    if controllers == 1:
        assert (root / "etc/typhoon-snippet/worker-variable").read_text() == "from worker-variable"
        assert not (root / "etc/typhoon-snippet/generate-time").exists()


ZINCATI_STRATEGY = "etc/zincati/config.d/55-update-strategy.toml"


@pytest.mark.parametrize(
    ("os_name", "networking"), [("fedora-coreos", "calico"), ("flatcar-linux", "flannel")]
)
def test_other_cnis_and_coordinated_updates_apply_offline(
    tmp_path: Path, scratch: Path, os_name: str, networking: str
) -> None:
    config = load_cluster_config(cluster_config(tmp_path, os_name, 1, 1))
    variables = dict(config.variables, networking=networking)
    config = replace(config, variables=variables, coordinated_updates=True)
    out = generate(config, tmp_path / "cluster")

    result = verify_module(out, workdir=tmp_path / "work")

    rules = {r["index"] for r in result.resources("aws_security_group_rule") if r.get("index")}
    if networking == "calico":
        assert {"calico-ipip-self", "calico-bgp-worker", "calico-vxlan-self"} <= rules
        assert "vxlan-self" not in rules
    else:
        assert {"vxlan-self", "vxlan-worker"} <= rules and "cilium-health-self" not in rules
    assets = result.output("assets_dist")
    network = "\n".join(v for k, v in assets.items() if k.startswith("manifests/network/"))
    assert {"calico": "calico-node", "flannel": "kube-flannel"}[networking] in network
    assert any(k.startswith("manifests/kube-proxy/") for k in assets)

    _, worker = user_data(result)
    root = apply_to_root(worker, scratch, "worker")
    if os_name == "fedora-coreos":
        strategy = tomllib.loads((root / ZINCATI_STRATEGY).read_text())
        assert strategy["updates"] == {
            "strategy": "fleet_lock",
            "fleet_lock": {"base_url": "http://10.3.0.15/"},
        }
        assert (out / "addons/fleetlock/fleetlock.yaml").is_file()
    else:
        assert not (root / ZINCATI_STRATEGY).exists()
        assert os.readlink(root / "etc/systemd/system/locksmithd.service") == "/dev/null"
        assert (out / "addons/fluo/fluo.yaml").is_file()


def test_bad_snippet_variable_fails_with_the_programs_message(tmp_path: Path) -> None:
    config = example_config("aws")
    bad = dict(config.variables, controller_snippets=["variant: fcos\nversion: 1.4.0\nbogus: 1\n"])
    out = generate(replace(config, variables=bad), tmp_path / "cluster")
    with pytest.raises(Exception) as info:
        verify_module(out, workdir=tmp_path / "work", apply=False)
    assert "bogus" in str(info.value)


def has_real_aws_provider() -> bool:
    return any(p.address.endswith("/hashicorp/aws") for p in discover_real_providers())


@pytest.mark.skipif(not has_real_aws_provider(), reason=NO_REAL_AWS_PROVIDER)
@pytest.mark.parametrize("os_name", ["fedora-coreos", "flatcar-linux"])
def test_validates_against_the_real_aws_provider(tmp_path: Path, os_name: str) -> None:
    config = example_config("aws", os_name)
    out = generate(config, tmp_path / "cluster")
    result: Any = verify_module(out, workdir=tmp_path / "work", allow_real_cloud=True)
    assert result.provider("aws").kind == "real"
