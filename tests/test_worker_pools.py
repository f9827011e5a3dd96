"""Worker pools in the cluster config: schema derived from the workers submodule, the
loader's checks (one located line each), the generated pool blocks, the library API and
`node-config --pool`. Real Terraform over pools: tests/test_worker_pools_cycle.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml

import typhoon_tf
from typhoon_tf.config import cluster_schema, load_cluster_config
from typhoon_tf.config.schema import pool_schema
from typhoon_tf.errors import UserError
from typhoon_tf.generate.root_module import root_module
from typhoon_tf.platforms import OPERATING_SYSTEMS, load_platform

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "docs" / "examples" / "worker-pools"
POOL_PLATFORMS = ("aws", "azure", "bare-metal", "google-cloud")
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh me@x"
BASE = f"""platform: aws
os: fedora-coreos
cluster:
  cluster_name: tempest
  dns_zone: aws.example.com
  dns_zone_id: Z123
  ssh_authorized_key: {KEY}
worker_pools:
"""


def write(tmp_path: Path, text: str, name: str = "cluster.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def module_blocks(main_tf: str) -> dict[str, str]:
    """Module label -> the block's text."""
    blocks = re.findall(r'^module "([^"]+)" \{\n.*?^\}\n', main_tf, re.MULTILINE | re.DOTALL)
    texts = re.findall(r'^(module "[^"]+" \{\n.*?^\}\n)', main_tf, re.MULTILINE | re.DOTALL)
    return dict(zip(blocks, texts, strict=True))


# --- schema ---------------------------------------------------------------------------


@pytest.mark.parametrize("platform", POOL_PLATFORMS)
@pytest.mark.parametrize("os_name", OPERATING_SYSTEMS)
def test_pool_keys_are_the_workers_module_variables_minus_the_wiring(
    platform: str, os_name: str
) -> None:
    workers = load_platform(platform).workers
    assert workers is not None and workers.pool is not None
    schema = pool_schema(platform, os_name)
    assert schema is not None
    module_vars = {v.name for v in workers.variables_for(os_name)}
    wired = workers.pool.generated()
    extra = {"name", "machines"} if workers.pool.machine else {"name"}
    assert set(schema["properties"]) == (module_vars - wired) | extra
    # Every wired variable is one the module has (a typo in platform.yaml fails here).
    assert set(workers.pool.outputs) | set(workers.pool.cluster) <= module_vars
    outputs = {o.name for o in load_platform(platform).outputs}
    assert set(workers.pool.outputs.values()) <= outputs


def test_published_schema_has_pools_per_platform_and_os() -> None:
    schema = cluster_schema()
    assert schema["properties"]["worker_pools"]["type"] == "array"
    branches = {
        (b["if"]["properties"]["platform"]["const"], b["if"]["properties"]["os"]["const"]): b
        for b in schema["allOf"]
    }
    aws = branches[("aws", "fedora-coreos")]["then"]["properties"]["worker_pools"]["items"]
    assert {"arch", "spot_price", "node_taints", "os_stream"} <= set(aws["properties"])
    assert "os_image" not in aws["properties"]  # Flatcar's channel variable
    do = branches[("digital-ocean", "flatcar-linux")]["then"]["properties"]["worker_pools"]
    assert do == {"type": "array", "maxItems": 0}
    committed = json.loads((REPO / "docs" / "cluster.schema.json").read_text())
    assert committed == schema, "regenerate: typhoon-tf schema > docs/cluster.schema.json"


# --- loader ---------------------------------------------------------------------------


def test_pools_load_with_their_variables(tmp_path: Path) -> None:
    text = BASE + "  - {name: arm, arch: arm64, node_labels: [pool=arm]}\n  - {name: spot}\n"
    config = load_cluster_config(write(tmp_path, text))
    assert [p.name for p in config.worker_pools] == ["arm", "spot"]
    assert config.pool("arm").variables == {"arch": "arm64", "node_labels": ["pool=arm"]}


@pytest.mark.parametrize(
    ("pools", "path", "words"),
    [
        ("  - {name: a, instance_typ: t3.small}\n", "worker_pools.0.instance_typ", "unknown key"),
        ("  - {name: a, vpc_id: vpc-1}\n", "worker_pools.0.vpc_id", "unknown key 'vpc_id'"),
        ("  - {name: a, worker_count: two}\n", "worker_pools.0.worker_count", "expected a number"),
        ("  - {name: a, worker_count: 1.5}\n", "worker_pools.0.worker_count", "whole number"),
        ("  - {name: a, arch: sparc}\n", "worker_pools.0.arch", "not one of"),
        ("  - {arch: arm64}\n", "worker_pools.0", "missing required key 'name'"),
        ("  - {name: GPU}\n", "worker_pools.0.name", "does not match"),
        ("  - {name: a}\n  - {name: a}\n", "worker_pools.1.name", "used twice"),
        ("  - {name: averyverylong}\n", "worker_pools.0.name", "at most 10 for the pool name"),
        ("  - {name: a, os_image: flatcar-beta}\n", "worker_pools.0.os_image", "Flatcar Linux"),
        ("  - {name: a, image_id: flatcar-ami}\n", "worker_pools.0.image_id", "Flatcar Linux"),
        ("  - {name: a, node_labels: [gpu]}\n", "worker_pools.0.node_labels.0", "key=value"),
        (
            "  - {name: a, node_taints: ['gpu=true:Never']}\n",
            "worker_pools.0.node_taints.0",
            "NoSchedule",
        ),
        (
            '  - {name: a, snippets: ["variant: fcos\\nversion: 1.6.0\\n"]}\n',
            "worker_pools.0.snippets.0",
            "newer than",
        ),
        ("  - {name: a, spot_price: -1}\n", "worker_pools.0.spot_price", "at least 0"),
    ],
)
def test_bad_pools_name_the_key(tmp_path: Path, pools: str, path: str, words: str) -> None:
    with pytest.raises(UserError) as caught:
        load_cluster_config(write(tmp_path, BASE + pools))
    assert caught.value.path == path, str(caught.value)
    assert words in caught.value.message
    assert caught.value.line is not None


def test_pool_module_name_must_not_be_the_cluster_modules(tmp_path: Path) -> None:
    text = BASE.replace("platform: aws\n", "platform: aws\nname: tempest-a\n")
    with pytest.raises(UserError, match="cluster module's `name`"):
        load_cluster_config(write(tmp_path, text + "  - {name: a}\n"))


def test_digital_ocean_has_no_pool_module(tmp_path: Path) -> None:
    example = yaml.safe_load((REPO / "typhoon_tf/config/examples/digital-ocean.yaml").read_text())
    example["worker_pools"] = [{"name": "a"}]
    with pytest.raises(UserError, match="no worker-pool module") as caught:
        load_cluster_config(write(tmp_path, yaml.safe_dump(example)))
    assert caught.value.path == "worker_pools"


def test_azure_pool_image_must_be_the_clusters_os(tmp_path: Path) -> None:
    example = yaml.safe_load((EXAMPLES / "azure.yaml").read_text())
    example["worker_pools"] = [{"name": "a", "os_image": "flatcar-stable"}]
    example["os"] = "fedora-coreos"
    example["cluster"]["os_image"] = "/subscriptions/0/images/fedora-coreos-42"
    with pytest.raises(UserError, match="Flatcar Linux image") as caught:
        load_cluster_config(write(tmp_path, yaml.safe_dump(example)))
    assert caught.value.path == "worker_pools.0.os_image"
    example["worker_pools"] = [{"name": "a", "arch": "arm64"}]
    with pytest.raises(UserError, match="'arch' is a Flatcar Linux setting"):
        load_cluster_config(write(tmp_path, yaml.safe_dump(example)))
    example["os"] = "flatcar-linux"
    example["worker_pools"] = [{"name": "a", "os_image": "latest"}]
    with pytest.raises(UserError, match="flatcar-stable, flatcar-beta"):
        load_cluster_config(write(tmp_path, yaml.safe_dump(example)))


def test_fcos_channel_on_flatcar_says_which_key_to_use(tmp_path: Path) -> None:
    text = BASE.replace("os: fedora-coreos", "os: flatcar-linux")
    with pytest.raises(UserError, match=r"Fedora CoreOS setting.*\(use os_image\)"):
        load_cluster_config(write(tmp_path, text + "  - {name: a, os_stream: next}\n"))


@pytest.mark.parametrize(
    ("machine", "path", "words"),
    [
        ("{name: node2, mac: '52:54:00:00:00:09', domain: x}", "name", "also cluster.workers.0"),
        ("{name: node9, mac: '52:54:00:B2:2F:86', domain: x}", "mac", "also cluster.workers.0"),
        ("{name: Node9, mac: '52:54:00:00:00:09', domain: x}", "name", "DNS label"),
        ("{name: node9, mac: '52-54-00-00-00-09', domain: x}", "mac", "not a MAC"),
        ("{name: node9, mac: '52:54:00:00:00:09'}", "", "missing required key 'domain'"),
    ],
)
def test_bare_metal_machines_are_unique_hosts(
    tmp_path: Path, machine: str, path: str, words: str
) -> None:
    example = (REPO / "typhoon_tf/config/examples/bare-metal.yaml").read_text()
    text = example + f"worker_pools:\n  - name: extra\n    machines: [{machine}]\n"
    with pytest.raises(UserError) as caught:
        load_cluster_config(write(tmp_path, text))
    assert caught.value.path == ".".join(filter(None, ["worker_pools.0.machines.0", path]))
    assert words in caught.value.message


def test_library_builds_pools_and_reports_without_positions() -> None:
    cluster = {
        "cluster_name": "tempest",
        "dns_zone": "aws.example.com",
        "dns_zone_id": "Z1",
        "ssh_authorized_key": KEY,
    }
    pools: list[dict[str, object]] = [
        {"name": "arm", "arch": "arm64"},
        {"name": "spot", "spot_price": 0.1},
    ]
    config = typhoon_tf.cluster_config("aws", "fedora-coreos", cluster, worker_pools=pools)
    assert [p.name for p in config.worker_pools] == ["arm", "spot"]
    with pytest.raises(UserError) as caught:
        typhoon_tf.cluster_config("aws", "fedora-coreos", cluster, worker_pools=[{"name": 1}])
    assert caught.value.path == "worker_pools.0.name"
    assert caught.value.line is None


# --- generate -------------------------------------------------------------------------


@pytest.mark.parametrize("platform", POOL_PLATFORMS)
def test_documented_examples_generate(tmp_path: Path, platform: str) -> None:
    """docs/worker-pools.md's examples, through the CLI as a user runs them."""
    example = EXAMPLES / f"{platform}.yaml"
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "typhoon_tf",
            "generate",
            platform,
            "-c",
            str(example),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    config = load_cluster_config(example)
    blocks = module_blocks((out / "main.tf").read_text())
    cluster = config.variables["cluster_name"]
    assert list(blocks) == [config.name, *(f"{cluster}-{p.name}" for p in config.worker_pools)]
    wiring = load_platform(platform).workers.pool  # type: ignore[union-attr]
    assert wiring is not None
    for pool in config.worker_pools:
        block = blocks[f"{cluster}-{pool.name}"]
        for variable, output in wiring.outputs.items():
            assert re.search(rf"\n  {variable} += module\.{config.name}\.{output}\n", block)
        assert "ssh_authorized_key" in block
    assert 'output "worker_pools"' in (out / "outputs.tf").read_text()


def test_docs_page_shows_each_example_file_and_runs_its_python() -> None:
    page = (REPO / "docs" / "worker-pools.md").read_text()
    for platform in POOL_PLATFORMS:
        text = (EXAMPLES / f"{platform}.yaml").read_text()
        assert f"```yaml\n{text}```" in page, f"docs/worker-pools.md: {platform} example drifted"
    (python,) = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(python, "docs/worker-pools.md", "exec"), namespace)  # noqa: S102
    assert namespace["config"].worker_pools[0].name == "arm"


def test_pool_blocks_follow_typhoons_documented_wiring() -> None:
    """The AWS pool block of the Typhoon migration fixture, as generate writes it."""
    config = typhoon_tf.cluster_config(
        "aws",
        "fedora-coreos",
        {"cluster_name": "nova", "dns_zone": "k8s.example.net", "dns_zone_id": "Z1"}
        | {"ssh_authorized_key": KEY},
        worker_pools=[
            {"name": "pool", "worker_count": 2, "instance_type": "c5.large"}
            | {"os_stream": "stable", "node_labels": ["pool=nova-pool"]}
        ],
    )
    block = module_blocks(root_module(config)["main.tf"])["nova-pool"]
    fixture = (REPO / "tests/data/typhoon-migration/aws-fedora-coreos/main.tf").read_text()
    typhoon = module_blocks(fixture)["nova-pool"]

    def arguments(text: str) -> dict[str, str]:
        found = re.findall(r"^  (\w+) += (.+)$", text, re.MULTILINE)
        return {k: v for k, v in found if k not in ("source", "ssh_authorized_key")}

    assert arguments(block) == arguments(typhoon)


def test_reordering_pools_changes_no_block(tmp_path: Path) -> None:
    example = yaml.safe_load((EXAMPLES / "aws.yaml").read_text())
    first = root_module(load_cluster_config(write(tmp_path, yaml.safe_dump(example), "a.yaml")))
    example["worker_pools"].reverse()
    second = root_module(load_cluster_config(write(tmp_path, yaml.safe_dump(example), "b.yaml")))
    assert module_blocks(first["main.tf"]) == module_blocks(second["main.tf"])
    assert {k: v for k, v in first.items() if k.startswith("modules/")} == {
        k: v for k, v in second.items() if k.startswith("modules/")
    }


def test_pools_add_no_module_files_and_inherit_the_clusters_values(tmp_path: Path) -> None:
    example = yaml.safe_load((EXAMPLES / "google-cloud.yaml").read_text())
    example["cluster"]["service_cidr"] = "10.5.0.0/16"
    example["os"] = "flatcar-linux"
    example["cluster"]["os_image"] = "flatcar-beta"
    example["worker_pools"][1]["os_image"] = "flatcar-alpha"
    config = load_cluster_config(write(tmp_path, yaml.safe_dump(example)))
    tree = root_module(config)
    blocks = module_blocks(tree["main.tf"])
    assert 'service_cidr       = "10.5.0.0/16"' in blocks["yavin-gpu"]
    assert 'os_image          = "flatcar-beta"' in blocks["yavin-gpu"]  # inherited
    assert 'os_image     = "flatcar-alpha"' in blocks["yavin-spot"]  # the pool's own
    without = root_module(
        load_cluster_config(
            EXAMPLES.parent.parent.parent / "typhoon_tf/config/examples/google-cloud.yaml",
            os_override="flatcar-linux",
        )
    )
    assert set(tree) == set(without)


def test_bare_metal_pool_is_keyed_by_machine_name() -> None:
    config = load_cluster_config(EXAMPLES / "bare-metal.yaml")
    block = module_blocks(root_module(config)["main.tf"])["mercury-gpu"]
    assert '  source = "./modules/bare-metal/fedora-coreos/kubernetes/worker"\n' in block
    assert "  for_each = {\n    node3 = {\n" in block
    assert "  name         = each.key\n" in block
    assert '  os_version   = "40.20240906.3.0"\n' in block  # the cluster's, required


# --- node configs ---------------------------------------------------------------------


def kubelet_env(config: dict[str, Any]) -> dict[str, str]:
    for entry in config["storage"]["files"]:
        if entry["path"] == "/etc/kubernetes/kubelet.env":
            text = urllib.parse.unquote(entry["contents"]["source"].removeprefix("data:,"))
            return dict(line.split("=", 1) for line in text.splitlines() if line)
    raise AssertionError("no kubelet.env")


def test_render_node_for_a_pool_carries_its_labels_taints_and_snippets(tmp_path: Path) -> None:
    example = yaml.safe_load((EXAMPLES / "aws.yaml").read_text())
    example["worker_pools"][1]["snippets"] = ["variant: fcos\nversion: 1.4.0\n"]
    config = load_cluster_config(write(tmp_path, yaml.safe_dump(example)))
    node = typhoon_tf.render_node(config, "worker", pool="spot")
    env = kubelet_env(node)
    assert env["NODE_LABELS"].split(",")[1:] == ["pool=spot"]
    assert env["NODE_TAINTS_FLAG"] == "--register-with-taints=spot=true:NoSchedule"
    (merge,) = node["ignition"]["config"]["merge"]
    assert merge["source"].startswith("data:;base64,")
    with pytest.raises(UserError, match="no worker pool 'gpu'"):
        typhoon_tf.render_node(config, "worker", pool="gpu")


def test_node_config_cli_renders_a_pool() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "typhoon_tf", "node-config", "--pool", "web"]
        + ["--cluster", str(EXAMPLES / "aws.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    env = kubelet_env(json.loads(proc.stdout))
    assert env["NODE_LABELS"].endswith(",pool=web,tier=frontend")
    assert env["NODE_TAINTS_FLAG"] == ""
    refused = subprocess.run(
        [sys.executable, "-m", "typhoon_tf", "node-config", "--pool", "web", "--role", "worker"]
        + ["--cluster", str(EXAMPLES / "aws.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "drop --role" in refused.stderr
