"""Hostile and careless input (issue 12): every case is refused with exit 2 and one line
naming the file and key path — no traceback, no hang, nothing written, the tree unchanged.

Each case builds its input under a scratch directory, runs the CLI in-process (with a hang
guard) and compares the directory before and after; `-o` targets must not appear.
"""

from __future__ import annotations

import json
import os
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from inputcheck import assert_one_line_error, hang_guard, run_cli, snapshot

from typhoon_tf.config.load import ssh_public_key_problem
from typhoon_tf.inputs import CONFIG_LIMIT, DOCUMENT_LIMIT, MiB

EXAMPLES = Path(__file__).parent.parent / "typhoon_tf" / "config" / "examples"
BASE = (EXAMPLES / "aws.yaml").read_text()
KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh core@example"
)
SNIPPET = "variant: fcos\nversion: 1.4.0\n"


@dataclass(frozen=True)
class Case:
    """argv with {d} for the scratch directory; `setup` writes the inputs there."""

    setup: Callable[[Path], None]
    argv: tuple[str, ...]
    expected: tuple[str, ...]
    stdin: bytes = b""


def _write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        data = text.encode() if isinstance(text, str) else text
        (d / name).write_bytes(data)

    return setup


def _all(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        for step in steps:
            step(d)

    return setup


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda d: os.mkfifo(d / name)


def _loop(name: str) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        (d / f"{name}.other").symlink_to(name)
        (d / name).symlink_to(f"{name}.other")

    return setup


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        with (d / name).open("wb") as handle:
            handle.truncate(size)

    return setup


def _config(text: str | bytes) -> Callable[[Path], None]:
    return _write("cluster.yaml", text)


def _with_snippet(path: str, *more: Callable[[Path], None]) -> Callable[[Path], None]:
    return _all(_config(BASE + f"snippets:\n  worker: [{json.dumps(path)}]\n"), *more)


def _alias_bomb(header: str, key: str = "provider") -> str:
    lines = [
        header.rstrip("\n"),
        f"{key}:",
        '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _ignition_with(field_json: str, key: str = "contents") -> str:
    return (
        '{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/etc/x","'
        + key
        + '":'
        + field_json
        + "}]}}"
    )


def _query(snippets: str | list[str], variant: str = "fcos", version: str = "3.3.0") -> bytes:
    text = snippets if isinstance(snippets, str) else json.dumps(snippets)
    return json.dumps({"snippets": text, "variant": variant, "ignition_version": version}).encode()


GEN = ("generate", "-c", "{d}/cluster.yaml", "-o", "{d}/out")
NODE = ("node-config", "--platform", "aws", "--os", "fedora-coreos", "--role", "worker")

CASES: dict[str, Case] = {
    # -- cluster config: hangs and unbounded work
    "config alias bomb": Case(
        _config(_alias_bomb("platform: aws\nos: fedora-coreos\ncluster: {}")),
        GEN,
        ("cluster.yaml:", "provider.", "too large after expanding aliases"),
    ),
    "config recursive alias": Case(
        _config("platform: aws\nos: fedora-coreos\ncluster: {}\nprovider:\n  a: &r [*r]\n"),
        GEN,
        ("cluster.yaml:5:", "provider.a.0", "recursive alias"),
    ),
    "config recursive mapping alias": Case(
        _config("platform: aws\nos: fedora-coreos\ncluster: &c {x: *c}\n"),
        GEN,
        ("cluster.yaml:", "cluster.x", "recursive alias"),
    ),
    "config FIFO": Case(_fifo("cluster.yaml"), GEN, ("cluster.yaml", "FIFO")),
    "config /dev/zero": Case(
        lambda d: None,
        ("generate", "-c", "/dev/zero", "-o", "{d}/out"),
        ("/dev/zero", "character device"),
    ),
    "config symlink loop": Case(_loop("cluster.yaml"), GEN, ("cluster.yaml", "symlink loop")),
    "config too large": Case(
        _sparse("cluster.yaml", CONFIG_LIMIT + 1), GEN, ("cluster.yaml", "too large", "1 MiB")
    ),
    "config is a directory": Case(
        lambda d: (d / "cluster.yaml").mkdir(), GEN, ("cluster.yaml", "directory")
    ),
    "config not UTF-8": Case(
        _config(b"platform: aws\nos: \xff\n"), GEN, ("cluster.yaml", "not UTF-8", "line 2")
    ),
    "config nested 100k levels": Case(
        _config("platform: aws\nprovider: " + _deep_json(100_000) + "\n"),
        GEN,
        ("cluster.yaml", "nest"),
    ),
    "config nested 200 levels": Case(
        _config("platform: aws\nprovider: " + _deep_json(200) + "\n"),
        GEN,
        ("cluster.yaml", "provider.0.0", "nested more than 100 levels"),
    ),
    "config integer of 5000 digits": Case(
        _config(BASE.replace("worker_count: 2", "worker_count: " + "9" * 5000)),
        GEN,
        ("cluster.yaml:14:", "cluster.worker_count", "invalid value"),
    ),
    "config merge key": Case(
        _config(BASE + "x: &x {a: 1}\ny:\n  <<: *x\n"), GEN, ("cluster.yaml", "y", "merge keys")
    ),
    "config date value": Case(
        _config(BASE.replace("us-east-1", "2024-01-01")),
        GEN,
        ("cluster.yaml:7:", "provider.region", "dates and times"),
    ),
    "config newline in key": Case(
        _config(BASE + '"bad\\nkey": 1\n'), GEN, ("cluster.yaml", "bad\\x0akey", "unknown key")
    ),
    # -- cluster config: values that would become broken HCL
    "provider .nan": Case(
        _config(BASE.replace("us-east-1", ".nan")),
        GEN,
        ("cluster.yaml:7:", "provider.region", "not a finite number"),
    ),
    "variable .inf": Case(
        _config(BASE.replace("worker_count: 2", "worker_count: 2\n  worker_price: -.inf")),
        GEN,
        ("cluster.yaml:15:", "cluster.worker_price", "not a finite number"),
    ),
    "provider key not an HCL name": Case(
        _config(BASE.replace("region: us-east-1", '"bad key": x')),
        GEN,
        ("cluster.yaml:7:", "provider.bad key", "not a valid argument name"),
    ),
    "provider key with a quote": Case(
        _config(BASE.replace("region: us-east-1", "'a\"=1 #': x")),
        GEN,
        ("cluster.yaml", "provider.", "not a valid argument name"),
    ),
    # -- cluster config: accepted although wrong
    "controller_count 10^30": Case(
        _config(BASE.replace("controller_count: 1", "controller_count: 1" + "0" * 30)),
        GEN,
        ("cluster.yaml:13:", "cluster.controller_count", "out of range"),
    ),
    "worker_count 1e30": Case(
        _config(BASE.replace("worker_count: 2", "worker_count: 1.0e+30")),
        GEN,
        ("cluster.yaml:14:", "cluster.worker_count", "at most 5000"),
    ),
    "negative disk size": Case(
        _config(BASE.replace("worker_count: 2", "worker_count: 2\n  worker_disk_size: -5")),
        GEN,
        ("cluster.yaml:15:", "cluster.worker_disk_size", "at least 1, got -5"),
    ),
    "zero disk size": Case(
        _config(BASE.replace("worker_count: 2", "worker_count: 2\n  controller_disk_size: 0")),
        GEN,
        ("cluster.yaml:15:", "cluster.controller_disk_size", "at least 1, got 0"),
    ),
    "ssh key non-ASCII": Case(
        _config(BASE.replace("AAAAC3Nza", "AAAAC3Né")),
        GEN,
        ("cluster.yaml:12:", "cluster.ssh_authorized_key", "not valid base64"),
    ),
    "ssh key with a second line": Case(
        _config(BASE.replace(KEY, json.dumps(KEY + "\nssh-rsa AAAA attacker"))),
        GEN,
        ("cluster.yaml:12:", "cluster.ssh_authorized_key", "one public key on one line"),
    ),
    # -- snippets named by the cluster config
    "snippet FIFO": Case(
        _with_snippet("s.bu", _fifo("s.bu")),
        GEN,
        ("cluster.yaml:", "snippets.worker.0", "'s.bu'", "FIFO"),
    ),
    "snippet symlink loop": Case(
        _with_snippet("s.bu", _loop("s.bu")),
        GEN,
        ("cluster.yaml:", "snippets.worker.0", "symlink loop"),
    ),
    "snippet path with NUL": Case(
        _with_snippet("a\u0000b.bu"), GEN, ("cluster.yaml:", "snippets.worker.0", "NUL byte")
    ),
    "snippet /dev/zero": Case(
        _with_snippet("/dev/zero"), GEN, ("snippets.worker.0", "character device")
    ),
    "snippet too large": Case(
        _with_snippet("s.bu", _sparse("s.bu", DOCUMENT_LIMIT + 1)),
        GEN,
        ("snippets.worker.0", "too large", "16 MiB"),
    ),
    "snippet directory": Case(
        _with_snippet("s.bu", lambda d: (d / "s.bu").mkdir()),
        GEN,
        ("snippets.worker.0", "directory"),
    ),
    "snippet not UTF-8": Case(
        _with_snippet("s.bu", _write("s.bu", b"variant: fcos\n\xfe\n")),
        GEN,
        ("snippets.worker.0", "not UTF-8"),
    ),
    "snippet newer than the node": Case(
        _with_snippet("s.bu", _write("s.bu", "variant: fcos\nversion: 1.5.0\n")),
        GEN,
        (
            "cluster.yaml:17:",
            "snippets.worker.0",
            "Ignition 3.4.0, newer than the node config's 3.3.0",
            "top-level `ignition_version` to 3.4.0 or 3.5.0",
            "version: 1.4.0",
        ),
    ),
    "snippet nested 100k levels": Case(
        _with_snippet("s.bu", _write("s.bu", SNIPPET + "storage: " + _deep_json(100_000))),
        GEN,
        ("s.bu", "nesting depth"),
    ),
    "snippet alias bomb": Case(
        _with_snippet(
            "s.bu",
            _write(
                "s.bu",
                _alias_bomb(SNIPPET + "storage:\n  files: []", "x")
                + "passwd: {users: [{name: core, ssh_authorized_keys: *i}]}\n",
            ),
        ),
        GEN,
        ("s.bu", "passwd.users.0.ssh_authorized_keys.0"),
    ),
    # -- node-config -c
    "node-config not UTF-8": Case(
        _write("node.yaml", b"etcd_name: \xc3\x28\n"),
        (*NODE, "-c", "{d}/node.yaml"),
        ("node.yaml", "not UTF-8"),
    ),
    "node-config alias bomb": Case(
        _write("node.yaml", _alias_bomb("etcd_name: x", "node_labels")),
        (*NODE, "-c", "{d}/node.yaml"),
        ("node.yaml", "node_labels.", "too large after expanding aliases"),
    ),
    "node-config recursive alias": Case(
        _write("node.yaml", "node_labels: &r [*r]\n"),
        (*NODE, "-c", "{d}/node.yaml"),
        ("node.yaml:1:", "node_labels.0", "recursive alias"),
    ),
    "node-config FIFO": Case(
        _fifo("node.yaml"), (*NODE, "-c", "{d}/node.yaml"), ("node.yaml", "FIFO")
    ),
    "node-config .nan": Case(
        _write("node.yaml", "etcd_name: .nan\n"),
        (*NODE, "-c", "{d}/node.yaml"),
        ("node.yaml:1:", "etcd_name", "not a finite number"),
    ),
    # -- ignition validate / merge / downconvert
    "validate nested 100k levels": Case(
        _write("x.ign", _deep_json(100_000)),
        ("ignition", "validate", "{d}/x.ign"),
        ("x.ign:1:101:", "nested more than 100 levels"),
    ),
    "validate nested 100k levels in a field": Case(
        _write("x.ign", _ignition_with(_deep_json(100_000))),
        ("ignition", "validate", "{d}/x.ign"),
        ("x.ign:1:", "storage.files.0.contents.0", "nested more than 100 levels"),
    ),
    "validate mode of 5000 digits": Case(
        _write("x.ign", _ignition_with("7" * 5000, "mode")),
        ("ignition", "validate", "{d}/x.ign"),
        ("x.ign:1:", "storage.files.0.mode", "5000 characters is too long"),
    ),
    "validate FIFO": Case(_fifo("x.ign"), ("ignition", "validate", "{d}/x.ign"), ("x.ign", "FIFO")),
    "validate symlink loop": Case(
        _loop("x.ign"), ("ignition", "validate", "{d}/x.ign"), ("x.ign", "symlink loop")
    ),
    "validate not UTF-8": Case(
        _write("x.ign", b'{"a": "\xff"}'), ("ignition", "validate", "{d}/x.ign"), ("not UTF-8",)
    ),
    "merge nested child": Case(
        _all(
            _write("p.ign", '{"ignition":{"version":"3.3.0"}}'),
            _write("c.ign", _ignition_with(_deep_json(5000))),
        ),
        ("ignition", "merge", "{d}/p.ign", "{d}/c.ign", "-o", "{d}/out.ign"),
        ("c.ign:1:", "storage.files.0.contents", "nested"),
    ),
    "downconvert deep stdin": Case(
        lambda d: None,
        ("ignition", "downconvert", "--to", "2.3.0", "-o", "{d}/out.ign"),
        ("<stdin>:1:", "nested more than 100 levels"),
        stdin=_ignition_with(_deep_json(100_000)).encode(),
    ),
    # -- external butane (JSON on stdin)
    "external nested 100k levels": Case(
        lambda d: None,
        ("external", "butane"),
        ("<stdin>:1:101:", "nested more than 100 levels"),
        stdin=_deep_json(100_000).encode(),
    ),
    "external nested snippets field": Case(
        lambda d: None,
        ("external", "butane"),
        ("<stdin>: snippets.0.0", "nested more than 100 levels"),
        stdin=_query(_deep_json(100_000)),
    ),
    "external ignition_version 9.9.9": Case(
        lambda d: None,
        ("external", "butane"),
        ("<stdin>: ignition_version", "3.3.0, 3.4.0, 3.5.0", "'9.9.9'"),
        stdin=_query([SNIPPET], version="9.9.9"),
    ),
    "external unknown variant": Case(
        lambda d: None,
        ("external", "butane"),
        ("<stdin>: variant", "unknown variant 'rhcos'"),
        stdin=_query([SNIPPET], variant="rhcos"),
    ),
    "external snippet newer than the node": Case(
        lambda d: None,
        ("external", "butane"),
        ("snippets[0]: version", "Ignition 3.4.0", "`ignition_version` to 3.4.0 or 3.5.0"),
        stdin=_query(["variant: fcos\nversion: 1.5.0\n"]),
    ),
    "external stdin too large": Case(
        lambda d: None,
        ("external", "butane"),
        ("<stdin>", "too large", "16 MiB"),
        stdin=b" " * (DOCUMENT_LIMIT + 1),
    ),
    "external stdin not UTF-8": Case(
        lambda d: None, ("external", "butane"), ("<stdin>", "not UTF-8"), stdin=b'{"\xff": 1}'
    ),
    "external integer of 5000 digits": Case(
        lambda d: None,
        ("external", "butane"),
        ("<stdin>:1:", "a", "too long"),
        stdin=b'{"a": ' + b"1" * 5000 + b"}",
    ),
    # -- butane
    "butane FIFO input": Case(_fifo("x.bu"), ("butane", "{d}/x.bu"), ("x.bu", "FIFO")),
    "butane /dev/zero input": Case(
        lambda d: None, ("butane", "/dev/zero"), ("/dev/zero", "character device")
    ),
    "butane stdin too large": Case(
        lambda d: None, ("butane",), ("<stdin>", "too large"), stdin=b"#" * (DOCUMENT_LIMIT + 1)
    ),
    "butane local file FIFO": Case(
        _all(
            _write(
                "x.bu",
                SNIPPET + "storage:\n  files:\n    - path: /etc/f\n      contents: {local: f}\n",
            ),
            lambda d: (d / "files").mkdir(),
            lambda d: os.mkfifo(d / "files" / "f"),
        ),
        ("butane", "-d", "{d}/files", "{d}/x.bu", "-o", "{d}/out.ign"),
        ("x.bu:6:", "storage.files.0.contents.local", "FIFO"),
    ),
    "butane local file symlink loop": Case(
        _all(
            _write(
                "x.bu",
                SNIPPET + "storage:\n  files:\n    - path: /etc/f\n      contents: {local: f}\n",
            ),
            lambda d: (d / "files").mkdir(),
            lambda d: _loop("f")(d / "files"),
        ),
        ("butane", "-d", "{d}/files", "{d}/x.bu", "-o", "{d}/out.ign"),
        ("x.bu:6:", "storage.files.0.contents.local", "too many levels of symbolic links"),
    ),
    # -- file names that are not one printable line
    "config name with a newline": Case(
        lambda d: None,
        ("generate", "-c", "{d}/no\nsuch.yaml", "-o", "{d}/out"),
        ("no\\x0asuch.yaml", "No such file"),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_one_line_exit_2_and_touches_nothing(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    case.setup(tmp_path)
    before = snapshot(tmp_path)
    argv = [arg.replace("{d}", str(tmp_path)) for arg in case.argv]
    outcome = run_cli(argv, stdin=case.stdin)
    assert_one_line_error(outcome, *case.expected)
    assert outcome.out == ""
    assert snapshot(tmp_path) == before


def test_cases_cover_every_input_kind() -> None:
    """The suite's own inventory (reported in the issue): how many abuse cases run."""
    commands = {case.argv[0] for case in CASES.values()}
    assert commands == {"generate", "node-config", "ignition", "external", "butane"}
    assert len(CASES) >= 50


# -- the last-resort guard in the dispatcher -------------------------------------------


def _broken_command(error: BaseException) -> Callable[..., int]:
    def run(args: object) -> int:
        raise error

    return run


@pytest.mark.parametrize("error", [RecursionError("deep"), MemoryError()])
def test_resource_exhaustion_is_one_line_exit_2(
    error: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typhoon_tf.cli.schema_cmd as schema_cmd

    monkeypatch.setattr(schema_cmd, "run", _broken_command(error), raising=False)
    monkeypatch.setattr(schema_cmd, "register", _register_with(_broken_command(error)))
    outcome = run_cli(["schema"])
    assert_one_line_error(outcome, "too large or too deeply nested", type(error).__name__)


def test_a_bug_is_an_internal_error_with_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import typhoon_tf.cli.schema_cmd as schema_cmd

    monkeypatch.setattr(schema_cmd, "register", _register_with(_broken_command(KeyError("x"))))
    outcome = run_cli(["schema"])
    assert outcome.rc == 70
    assert "Traceback" in outcome.err and "KeyError" in outcome.err
    assert outcome.err_lines[-1].startswith("typhoon-tf: internal error: this is a bug")


def _register_with(func: Callable[..., int]) -> Callable[..., None]:
    def register(subparsers: object, name: str, help_text: str) -> None:
        parser = subparsers.add_parser(name, help=help_text)  # type: ignore[attr-defined]
        parser.set_defaults(func=func)

    return register


# -- cloud lookups without credentials -------------------------------------------------


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_images_aws_without_credentials(no_aws_credentials: None, tmp_path: Path) -> None:
    pytest.importorskip("boto3", reason="the aws extra (boto3) is not installed")
    outcome = run_cli(["images", "aws", "--os", "fedora-coreos", "--region", "us-east-1"])
    assert_one_line_error(outcome, "cannot list fedora-coreos AMIs", "no AWS credentials found")


def test_pin_images_without_credentials(no_aws_credentials: None, tmp_path: Path) -> None:
    pytest.importorskip("boto3", reason="the aws extra (boto3) is not installed")
    (tmp_path / "cluster.yaml").write_text(BASE)
    before = snapshot(tmp_path)
    outcome = run_cli(
        ["generate", "-c", f"{tmp_path}/cluster.yaml", "--pin-images", "-o", f"{tmp_path}/out"]
    )
    assert_one_line_error(
        outcome, "cluster.yaml", "cluster.controller_image_id", "no AWS credentials found"
    )
    assert snapshot(tmp_path) == before


class _DefaultCredentialsError(Exception):
    """Stands in for google.auth.exceptions.DefaultCredentialsError."""


def _google_stubs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Minimal google-cloud modules whose clients fail as they do without credentials
    (the real SDK is an optional extra, not installed here)."""

    def no_credentials(*args: object, **kwargs: object) -> object:
        raise _DefaultCredentialsError(
            "Your default credentials were not found. To set up Application Default\n"
            "Credentials, see https://cloud.google.com/docs/authentication/external/set-up-adc"
        )

    auth_exceptions = types.ModuleType("google.auth.exceptions")
    auth_exceptions.GoogleAuthError = Exception  # type: ignore[attr-defined]
    auth_exceptions.DefaultCredentialsError = _DefaultCredentialsError  # type: ignore[attr-defined]
    api_exceptions = types.ModuleType("google.api_core.exceptions")
    api_exceptions.NotFound = type("NotFound", (Exception,), {})  # type: ignore[attr-defined]
    api_exceptions.GoogleAPIError = type("GoogleAPIError", (Exception,), {})  # type: ignore[attr-defined]
    compute = types.ModuleType("google.cloud.compute_v1")
    compute.ImagesClient = no_credentials  # type: ignore[attr-defined]
    compute.ProjectsClient = no_credentials  # type: ignore[attr-defined]
    compute.ListImagesRequest = lambda **kwargs: kwargs  # type: ignore[attr-defined]
    modules = {
        "google": types.ModuleType("google"),
        "google.auth": types.ModuleType("google.auth"),
        "google.auth.exceptions": auth_exceptions,
        "google.api_core": types.ModuleType("google.api_core"),
        "google.api_core.exceptions": api_exceptions,
        "google.cloud": types.ModuleType("google.cloud"),
        "google.cloud.compute_v1": compute,
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)


def test_images_google_cloud_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    _google_stubs(monkeypatch)
    outcome = run_cli(["images", "google-cloud", "--os", "flatcar-linux"])
    # The clients are made before any call, so the message is about reaching Google Cloud.
    assert_one_line_error(
        outcome, "cannot reach Google Cloud: no usable Google Cloud credentials", "gcloud auth"
    )


def test_gcp_preflight_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from typhoon_tf.cloud import CloudProblem, gcp

    _google_stubs(monkeypatch)
    with pytest.raises(CloudProblem, match="cannot reach Google Cloud: no usable Google Cloud"):
        gcp.check_project_and_zone("p", "zone", "example.com")


# -- library-level checks the CLI cases rely on ------------------------------------------


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (KEY, None),
        (KEY.replace("core@example", "josé@laptop"), None),  # comments may be any text
        (KEY + "\n", None),
        (KEY + "\r\nssh-rsa AAAA x", "one public key on one line, got 2 lines"),
        (KEY.replace("AAAA", "ÅAAA", 1), "not valid base64"),
    ],
)
def test_ssh_key_shapes(key: str, problem: str | None) -> None:
    found = ssh_public_key_problem(key)
    assert found == problem if problem is None else (found is not None and problem in found)


def test_tfvars_fifo_is_refused(tmp_path: Path) -> None:
    from typhoon_tf.driver.rootmodule import read_root_settings
    from typhoon_tf.errors import UserError

    (tmp_path / "main.tf").write_text('variable "x" {\n  default = 1\n}\n')
    os.mkfifo(tmp_path / "a.auto.tfvars")
    with hang_guard(), pytest.raises(UserError, match="a.auto.tfvars: cannot read variable"):
        read_root_settings(tmp_path)


def test_stdin_limit_is_exact() -> None:
    import io

    from typhoon_tf.inputs import InputError, read_stdin_bytes

    assert read_stdin_bytes(limit=4, what="x", stream=io.BytesIO(b"1234")) == b"1234"
    with pytest.raises(InputError, match="too large"):
        read_stdin_bytes(limit=4, what="x", stream=io.BytesIO(b"12345"))
    assert MiB == 1 << 20
