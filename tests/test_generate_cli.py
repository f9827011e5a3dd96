"""`typhoon-tf generate`: the output directory contract, errors and determinism."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from typhoon_tf.cli import main

EXE = str(Path(sys.executable).parent / "typhoon-tf")
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh me@x"
GOOD = f"""platform: aws
os: flatcar-linux
cluster:
  cluster_name: tempest
  dns_zone: aws.example.com
  dns_zone_id: Z123
  ssh_authorized_key: {KEY}
"""


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_default_run_generates_the_embedded_example(tmp_path: Path) -> None:
    proc = subprocess.run(
        [EXE, "generate"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "tempest"
    assert (out / "main.tf").is_file()
    assert (out / "modules/aws/fedora-coreos/kubernetes/ignition/controller.ign.tftpl").is_file()
    assert (out / "modules/bootstrap/variables.tf").is_file()


def test_generation_is_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["generate", "aws", "--os", "flatcar-linux", "-o", str(tmp_path / name)]) == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t + "  bogus: 1\n", "cluster.bogus: unknown key"),
        (lambda t: t + "  worker_count: many\n", "cluster.worker_count: expected a number"),
        (lambda t: t + "  pod_cidr: 10.0.0.0/8\n", "overlaps"),
        (lambda t: t.replace("cluster_name: tempest", "cluster_name: Tempest!"), "DNS label"),
        (lambda t: t + "snippets:\n  worker: [nope.bu]\n", "snippets.worker.0: cannot read"),
    ],
)
def test_bad_configs_exit_2_with_one_line_and_write_nothing(
    tmp_path: Path, edit: object, words: str
) -> None:
    config = tmp_path / "cluster.yaml"
    config.write_text(edit(GOOD))  # type: ignore[operator]
    out = tmp_path / "out"
    proc = subprocess.run(
        [EXE, "generate", "aws", "-c", str(config), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert str(config) in proc.stderr and words in proc.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["cluster.yaml"]


def test_a_bad_snippet_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "s.bu").write_text(
        "variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n  - path: rel\n"
    )
    config = tmp_path / "cluster.yaml"
    config.write_text(
        GOOD.replace("flatcar-linux", "fedora-coreos") + "snippets:\n  worker: [s.bu]\n"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [EXE, "generate", "-c", str(config), "-o", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert not out.exists()


def test_refuses_foreign_directories_and_keeps_state(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "main.tf").write_text("# mine\n")
    assert main(["generate", "-o", str(foreign)]) == 2
    assert (foreign / "main.tf").read_text() == "# mine\n"

    out = tmp_path / "cluster"
    assert main(["generate", "-o", str(out)]) == 0
    (out / "terraform.tfstate").write_text("{}")
    (out / ".terraform").mkdir()
    (out / ".terraform" / "x").write_text("kept")
    before = tree(out)
    assert main(["generate", "-o", str(out)]) == 0, "regenerating its own directory is fine"
    assert tree(out) == before
    assert main(["generate", "--os", "flatcar-linux", "-o", str(out)]) == 0
    assert (out / "terraform.tfstate").read_text() == "{}"
    assert (out / ".terraform" / "x").read_text() == "kept"
    assert not (out / "modules/aws/fedora-coreos").exists(), "stale generated files removed"


def test_backend_block(tmp_path: Path) -> None:
    out = tmp_path / "cluster"
    args = ["generate", "-o", str(out), "--backend", "gcs", "--backend-config", "bucket=acme-tf"]
    assert main([*args, "--backend-config", "prefix=tempest"]) == 0
    assert 'backend "gcs"' in (out / "backend.tf").read_text()
    assert main(["generate", "-o", str(out)]) == 0, "regenerating without --backend"
    assert 'backend "gcs"' in (out / "backend.tf").read_text(), "state must not move silently"
    assert main(["generate", "-o", str(tmp_path / "x"), "--backend-config", "a=b"]) == 2


def test_same_inputs_same_files_across_processes(tmp_path: Path) -> None:
    for name in ("p1", "p2"):
        subprocess.run(
            [EXE, "generate", "-o", str(tmp_path / name)], check=True, capture_output=True
        )
    cmp = filecmp.dircmp(tmp_path / "p1", tmp_path / "p2")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only


def test_snippet_of_the_wrong_variant_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "s.bu").write_text("variant: fcos\nversion: 1.4.0\n")
    config = tmp_path / "cluster.yaml"
    config.write_text(GOOD + "snippets:\n  worker: [s.bu]\n")  # GOOD is a Flatcar cluster
    proc = subprocess.run(
        [EXE, "generate", "-c", str(config), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "s.bu" in proc.stderr and "does not match the node OS" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_snippets_that_overflow_user_data_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 20 KB of incompressible content: an AWS node config can hold at most 16 KiB.
    import base64
    import hashlib

    blob = b"".join(hashlib.sha512(str(i).encode()).digest() for i in range(320))
    payload = base64.b64encode(blob).decode()
    (tmp_path / "big.bu").write_text(
        "variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n"
        f"    - path: /opt/big\n      contents:\n        inline: {payload}\n"
    )
    config = tmp_path / "cluster.yaml"
    config.write_text(GOOD + "snippets:\n  worker: [big.bu]\n")
    out = tmp_path / "out"
    assert main(["generate", "-c", str(config), "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert "big.bu" in error and "over the 16384-byte user data limit" in error
    assert not out.exists()
