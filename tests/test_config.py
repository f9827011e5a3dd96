"""Cluster config: schema, cross-field checks and located one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from typhoon_tf.config import cluster_schema, example_config, load_cluster_config
from typhoon_tf.config.load import ssh_public_key_problem
from typhoon_tf.errors import UserError

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh me@x"
BASE = f"""platform: aws
os: fedora-coreos
cluster:
  cluster_name: tempest
  dns_zone: aws.example.com
  dns_zone_id: Z123
  ssh_authorized_key: {KEY}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cluster.yaml"
    path.write_text(text)
    return path


def test_example_configs_load_for_both_oses() -> None:
    for os_name in ("fedora-coreos", "flatcar-linux"):
        config = example_config("aws", os_name)
        assert config.os == os_name
        assert config.variables["cluster_name"] == "tempest"


def test_minimal_config(tmp_path: Path) -> None:
    config = load_cluster_config(write(tmp_path, BASE))
    assert config.platform == "aws"
    assert config.name == "tempest"
    assert config.snippets_for("controller") == ()


@pytest.mark.parametrize(
    ("extra", "path", "line", "words"),
    [
        ("  worker_cout: 2\n", "cluster.worker_cout", 8, "unknown key 'worker_cout'"),
        ("  worker_count: two\n", "cluster.worker_count", 8, "expected a number"),
        ("  pod_cidr: 10.3.0.0/16\n", "cluster.pod_cidr", 8, "overlaps"),
        ("  host_cidr: 10.0.0.0/33\n", "cluster.host_cidr", 8, "not a valid CIDR"),
        ("  controller_count: 0\n", "cluster.controller_count", 8, "at least 1"),
        ("  networking: weave\n", "cluster.networking", 8, "not one of"),
        ("  os_image: flatcar-stable\n", "cluster.os_image", 8, "unknown key"),
        ("snippets:\n  controller: [missing.bu]\n", "snippets.controller.0", 9, "cannot read"),
        ("ignition_version: 2.3.0\n", "ignition_version", 8, "support Ignition"),
    ],
)
def test_bad_configs_name_file_path_and_line(
    tmp_path: Path, extra: str, path: str, line: int | None, words: str | None
) -> None:
    cfg = write(tmp_path, BASE + extra)
    with pytest.raises(UserError) as info:
        load_cluster_config(cfg)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(str(cfg))
    assert f": {path}: " in text
    if line is not None:
        assert info.value.line == line
    if words:
        assert words in text


def test_bad_cluster_name(tmp_path: Path) -> None:
    cfg = write(tmp_path, BASE.replace("cluster_name: tempest", "cluster_name: Tempest_1"))
    with pytest.raises(UserError, match="cluster.cluster_name: 'Tempest_1' must be a DNS label"):
        load_cluster_config(cfg)


def test_duplicate_key_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="duplicate key 'os'"):
        load_cluster_config(write(tmp_path, BASE + "os: flatcar-linux\n"))
    with pytest.raises(UserError, match="invalid YAML"):
        load_cluster_config(write(tmp_path, "platform: [aws\n"))


def test_snippets_are_read_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "c.bu").write_text("variant: fcos\nversion: 1.4.0\n")
    config = load_cluster_config(write(tmp_path, BASE + "snippets:\n  controller: [s/c.bu]\n"))
    (snippet,) = config.snippets_for("controller")
    assert snippet.text.startswith("variant: fcos")


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        (KEY, True),
        ("ssh-rsa AAAAB3NzaC1yc2E=", True),
        ("ssh-rsa " + KEY.split()[1], False),  # the blob is an ed25519 key
        ("-----BEGIN OPENSSH PRIVATE KEY-----", False),
        ("ssh-ed25519", False),
        ("ssh-ed25519 !!!", False),
    ],
)
def test_ssh_key_shape(key: str, ok: bool) -> None:
    assert (ssh_public_key_problem(key) is None) is ok


def test_published_schema_accepts_examples_and_rejects_unknown_keys() -> None:
    schema = cluster_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    from importlib import resources

    import yaml

    text = resources.files("typhoon_tf.config").joinpath("examples", "aws.yaml").read_text()
    doc = yaml.safe_load(text)
    assert not list(validator.iter_errors(doc))
    doc["cluster"]["bogus"] = 1
    assert list(validator.iter_errors(doc))


def test_published_schema_file_is_fresh() -> None:
    published = Path(__file__).parent.parent / "docs" / "cluster.schema.json"
    expected = json.dumps(cluster_schema(), indent=2) + "\n"
    assert published.read_text() == expected, (
        "regenerate: typhoon-tf schema > docs/cluster.schema.json"
    )


BARE_METAL = f"""platform: bare-metal
os: flatcar-linux
cluster:
  cluster_name: mercury
  matchbox_http_endpoint: http://matchbox.example.com:8080
  os_version: 3975.2.1
  k8s_domain_name: node1.example.com
  ssh_authorized_key: {KEY}
  controllers:
    - {{ name: node1, mac: "52:54:00:a1:9c:ae", domain: node1.example.com }}
"""


def test_list_of_objects_variables_are_checked_per_attribute(tmp_path: Path) -> None:
    config = load_cluster_config(write(tmp_path, BARE_METAL))
    assert config.variables["controllers"][0]["mac"] == "52:54:00:a1:9c:ae"

    missing = BARE_METAL.replace(", domain: node1.example.com", "")
    with pytest.raises(UserError) as info:
        load_cluster_config(write(tmp_path, missing))
    assert "cluster.controllers.0" in str(info.value)
    assert "missing required key 'domain'" in str(info.value)

    extra = BARE_METAL.replace("domain: node1", "ip: 10.0.0.1, domain: node1")
    with pytest.raises(UserError) as info:
        load_cluster_config(write(tmp_path, extra))
    assert "cluster.controllers.0.ip" in str(info.value)

    wrong_type = BARE_METAL.replace('mac: "52:54:00:a1:9c:ae"', "mac: 5")
    with pytest.raises(UserError) as info:
        load_cluster_config(write(tmp_path, wrong_type))
    assert "cluster.controllers.0.mac" in str(info.value)
    assert "expected a string" in str(info.value)


@pytest.mark.parametrize(
    ("tf_type", "value", "ok"),
    [
        ("object({ name = string, n = number })", {"name": "a", "n": 1}, True),
        ("object({ name = string, n = number })", {"name": "a"}, False),
        ("object({ tags = list(string), m = map(string) })", {"tags": ["x"], "m": {}}, True),
        ("object({ tags = list(string), m = map(string) })", {"tags": [1], "m": {}}, False),
        ("list(object({ a = bool }))", [{"a": True}, {"a": False}], True),
        ("list(object({ a = bool }))", [{"a": True, "b": 1}], False),
    ],
)
def test_terraform_object_types(tf_type: str, value: object, ok: bool) -> None:
    from typhoon_tf.config.schema import terraform_type_schema

    validator = jsonschema.Draft202012Validator(terraform_type_schema(tf_type))
    assert validator.is_valid(value) is ok


@pytest.mark.parametrize("platform", ["digital-ocean", "bare-metal"])
def test_do_and_bare_metal_examples_load_for_both_oses(platform: str) -> None:
    for os_name in ("fedora-coreos", "flatcar-linux"):
        assert example_config(platform, os_name).os == os_name


@pytest.mark.parametrize(
    ("count", "problem"),
    [
        (".inf", "is not a finite number"),
        (".nan", "is not a finite number"),
        ("2.5", "must be a whole number"),
        ("-1", "must be at least 0"),
        ("1.0e+30", "must be at most 5000"),
    ],
)
def test_counts_must_be_whole_numbers(tmp_path: Path, count: str, problem: str) -> None:
    with pytest.raises(UserError, match=f"cluster.worker_count: .*{problem}"):
        load_cluster_config(write(tmp_path, BASE + f"  worker_count: {count}\n"))


def test_os_override_is_validated_like_the_file(tmp_path: Path) -> None:
    cfg = write(tmp_path, BASE + "  os_stream: testing\n")
    with pytest.raises(UserError, match="cluster.os_stream: unknown key"):
        load_cluster_config(cfg, os_override="flatcar-linux")
    assert load_cluster_config(cfg).os == "fedora-coreos"


def test_ignition_versions_agree_with_the_node_profiles() -> None:
    from typhoon_tf.config.schema import IGNITION_VERSIONS
    from typhoon_tf.nodes.profiles import OS_PROFILES

    for os_name, profile in OS_PROFILES.items():
        assert sorted(IGNITION_VERSIONS[os_name]) == sorted(profile.butane_versions)
