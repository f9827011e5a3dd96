"""`typhoon-tf verify` validates SSH connection/provisioner blocks before removing them.

The harness removes `connection` and `file`/`remote-exec` provisioners from its scratch copy
for plan and apply (no host to reach offline), but only after `terraform validate` has seen
the module as written: a typo in the SSH step that copies the TLS assets must fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from typhoon_tf.cli import main
from typhoon_tf.config import example_config
from typhoon_tf.generate import generate
from typhoon_tf.testing.harness import fmt_findings
from typhoon_tf.testing.terraform_bin import module_terraforms

# Each typo (old text, new text) breaks a different part of the SSH step.
TYPOS = [
    (".public_ip\n", ".public_ipp\n"),  # connection: an attribute the instance lacks
    ("local.assets_bundle)", "local.assets_bundel)"),  # provisioner: an undeclared local
    ("destination =", "destinatiox ="),  # provisioner "file": an argument it lacks
]


def _break_ssh(module: Path) -> tuple[Path, list[int]]:
    """Put each typo into the generated ssh.tf; return it and the lines broken."""
    [ssh_tf] = module.rglob("ssh.tf")
    text = ssh_tf.read_text()
    for old, new in TYPOS:
        assert old in text, old
        text = text.replace(old, new, 1)
    ssh_tf.write_text(text)
    lines = text.splitlines()
    broken = [next(i for i, line in enumerate(lines, 1) if new.strip() in line) for _, new in TYPOS]
    return ssh_tf, broken


def _verify_lines(
    module: Path, ssh_tf: Path, work: Path, capsys: pytest.CaptureFixture[str]
) -> set[int]:
    """Run `typhoon-tf verify`; it must fail at validate. Return the lines named in ssh_tf."""
    rc = main(["verify", str(module), "--no-apply", "--workdir", str(work)])
    captured = capsys.readouterr()
    assert rc == 1, captured.out
    assert "terraform validate failed" in captured.err
    assert "validate checks the module as written" in captured.out
    return {int(m) for m in re.findall(rf"{re.escape(str(ssh_tf))}:(\d+):", captured.err)}


@pytest.mark.slow
def test_a_broken_ssh_block_fails_verify_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not module_terraforms():
        pytest.fail("no Terraform that meets the modules' floor")
    module = generate(example_config("aws"), tmp_path / "cluster")
    ssh_tf, broken = _break_ssh(module)
    # Terraform stops checking a provisioner block at its first error (the undeclared
    # local), so the misspelt argument beside it shows once that one is fixed.
    assert set(broken[:2]) <= _verify_lines(module, ssh_tf, tmp_path / "work", capsys)
    ssh_tf.write_text(
        ssh_tf.read_text().replace(TYPOS[0][1], TYPOS[0][0]).replace(TYPOS[1][1], TYPOS[1][0])
    )
    assert broken[2] in _verify_lines(module, ssh_tf, tmp_path / "work", capsys)


def test_fmt_report_names_files_not_diff_headers() -> None:
    stdout = (
        "main.tf\n"
        "--- old/main.tf\n"
        "+++ new/main.tf\n"
        "@@ -1,3 +1,3 @@\n"
        ' output "x" {\n'
        "-value = 1\n"
        "+  value = 1\n"
        " }\n"
        "sub/b.tf\n"
        "--- old/sub/b.tf\n"
        "+++ new/sub/b.tf\n"
        "@@ -1 +1 @@\n"
        '-a = "x.tf"\n'
        '+a  = "x.tf"\n'
        "\\ No newline at end of file\n"
    )
    found = fmt_findings(stdout)
    assert list(found) == ["main.tf", "sub/b.tf"]
    assert found["main.tf"].startswith("--- old/main.tf\n+++ new/main.tf\n@@")
    assert found["sub/b.tf"].endswith("\\ No newline at end of file")
