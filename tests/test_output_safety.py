"""Writing output safely (issue 12): abuse cases against the output directory.

Each CLI case runs `python -m typhoon_tf` as a subprocess and asserts the exit status, a
one-line message naming the file, no traceback, and the file system unchanged outside what
the command owns: trees are compared before/after, including a sentinel outside the output.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from typhoon_tf import fsutil
from typhoon_tf.generate import output_dir
from typhoon_tf.generate.output_dir import MARKER, owned_path_problem, write_generated_dir

CLI = [sys.executable, "-m", "typhoon_tf"]
Tree = dict[str, object]


def cli(
    *args: str,
    cwd: Path | None = None,
    input: str | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        input=input,
        preexec_fn=preexec_fn,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def snapshot(root: Path) -> Tree:
    """Every entry under `root` (never following links): bytes, link target or 'dir', + mode."""
    tree: Tree = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            info = path.lstat()
            if path.is_symlink():
                tree[str(path.relative_to(root))] = ("link", os.readlink(path))
            elif path.is_dir():
                tree[str(path.relative_to(root))] = ("dir", info.st_mode)
            else:
                tree[str(path.relative_to(root))] = (path.read_bytes(), info.st_mode)
    return tree


def assert_user_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.count("\n") == 1, proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An AWS / Fedora CoreOS root module, generated once and copied by the tests."""
    out = tmp_path_factory.mktemp("reference") / "cluster"
    proc = cli("generate", "aws", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """tmp_path with a sentinel the commands must never touch."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep.tf").write_text("# the user's\n")
    (tmp_path / "outside" / "keep.yaml").write_text("mine: true\n")
    return tmp_path


@pytest.fixture
def cluster(world: Path, generated: Path) -> Path:
    out = world / "cluster"
    shutil.copytree(generated, out, symlinks=True)
    return out


def set_files(cluster: Path, files: object) -> None:
    marker = json.loads((cluster / MARKER).read_text())
    marker["files"] = files
    (cluster / MARKER).write_text(json.dumps(marker))


# ------------------------------------------------------------------- crafted markers


def outside(world: Path) -> str:
    return str(world / "outside" / "keep.tf")


CRAFTED_ENTRIES: dict[str, Callable[[Path], object]] = {
    "dotdot": lambda w: "../outside/keep.tf",
    "absolute": outside,
    "dotdot-inside-modules": lambda w: "modules/../../outside/keep.tf",
    "dot-segment": lambda w: "./main.tf",
    "trailing-slash": lambda w: "modules/",
    "double-slash": lambda w: "modules//x.tf",
    "state": lambda w: "terraform.tfstate",
    "state-under-modules": lambda w: "modules/x/terraform.tfstate",
    "dot-terraform": lambda w: ".terraform/providers/x.tf",
    "hidden-under-modules": lambda w: "modules/.git/config.yaml",
    "user-file": lambda w: "notes.txt",
    "foreign-suffix": lambda w: "modules/aws/secret.key",
    "empty": lambda w: "",
    "backslash": lambda w: "modules\\..\\..\\x.tf",
    "nul": lambda w: "main.tf\x00",
    "number": lambda w: 123,
    "null": lambda w: None,
    "object": lambda w: {"path": "main.tf"},
    "very-long": lambda w: "modules/" + "a" * 5000 + ".tf",
}


@pytest.mark.parametrize("case", sorted(CRAFTED_ENTRIES))
def test_crafted_marker_entries_are_refused(world: Path, cluster: Path, case: str) -> None:
    set_files(cluster, ["main.tf", CRAFTED_ENTRIES[case](world), "versions.tf"])
    before = snapshot(world)
    proc = cli("generate", "aws", "--os", "flatcar-linux", "-o", str(cluster))
    assert_user_error(proc, str(cluster / MARKER), "files.1", "touched nothing")
    assert snapshot(world) == before


MALFORMED_MARKERS: dict[str, Callable[[Path], object]] = {
    "not-json": lambda c: (c / MARKER).write_text("{not json"),
    "a-list": lambda c: (c / MARKER).write_text("[]"),
    "other-generator": lambda c: (c / MARKER).write_text('{"generator": "x", "files": []}'),
    "files-not-a-list": lambda c: set_files(c, "../outside/keep.tf"),
    "unknown-kind": lambda c: (c / MARKER).write_text('{"generator": "typhoon-tf", "kind": 7}'),
    "huge-list": lambda c: set_files(c, ["main.tf"] * 20_000),
    "huge-file": lambda c: (c / MARKER).write_text(" " * (2 << 20)),
    "deep-nesting": lambda c: (c / MARKER).write_text("[" * 100_000 + "]" * 100_000),
    "platform-not-a-string": lambda c: (c / MARKER).write_text(
        json.dumps({"generator": "typhoon-tf", "files": ["main.tf"], "platform": [1]})
    ),
    "symlink-to-outside": lambda c: _replace_with_link(c / MARKER, c.parent / "outside"),
    "a-directory": lambda c: _replace_with_dir(c / MARKER),
}


def _replace_with_link(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


def _replace_with_dir(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


@pytest.mark.parametrize("case", sorted(MALFORMED_MARKERS))
def test_malformed_markers_are_refused(world: Path, cluster: Path, case: str) -> None:
    MALFORMED_MARKERS[case](cluster)
    before = snapshot(world)
    proc = cli("generate", "aws", "--os", "flatcar-linux", "-o", str(cluster))
    assert_user_error(proc, str(cluster / MARKER), "touched nothing")
    assert snapshot(world) == before


def test_force_ignores_a_crafted_marker_and_deletes_nothing_it_lists(
    world: Path, cluster: Path
) -> None:
    set_files(cluster, ["../outside/keep.tf", outside(world), "notes.txt"])
    (cluster / "notes.txt").write_text("mine\n")
    outside_before = snapshot(world / "outside")
    proc = cli("generate", "aws", "--force", "-o", str(cluster))
    assert proc.returncode == 0, proc.stderr
    assert snapshot(world / "outside") == outside_before
    assert (cluster / "notes.txt").read_text() == "mine\n"


# ------------------------------------------------------------------------- symlinks


@pytest.mark.parametrize("name", ["modules", "main.tf", "addons"])
def test_a_symlink_in_place_of_an_owned_path_is_refused(
    world: Path, cluster: Path, name: str
) -> None:
    target = world / "outside" if name != "main.tf" else world / "outside" / "keep.tf"
    if (cluster / name).is_dir():
        shutil.rmtree(cluster / name)
    elif (cluster / name).exists():
        (cluster / name).unlink()
    (cluster / name).symlink_to(target)
    before = snapshot(world)
    proc = cli("generate", "aws", "--os", "flatcar-linux", "-o", str(cluster))
    assert_user_error(proc, str(cluster), f"{name} is a symlink")
    assert snapshot(world) == before


def test_links_inside_modules_are_never_followed(world: Path, cluster: Path) -> None:
    # A stale module directory holding a link to the user's files, and a marker that
    # claims a file "inside" the link: switching OS drops the stale module, not their files.
    stale = cluster / "modules/aws/fedora-coreos/kubernetes"
    (stale / "evil").symlink_to(world / "outside")
    marker = json.loads((cluster / MARKER).read_text())
    set_files(cluster, [*marker["files"], "modules/aws/fedora-coreos/kubernetes/evil/keep.yaml"])
    outside_before = snapshot(world / "outside")
    proc = cli("generate", "aws", "--os", "flatcar-linux", "-o", str(cluster))
    assert proc.returncode == 0, proc.stderr
    assert snapshot(world / "outside") == outside_before
    assert os.readlink(stale / "evil") == str(world / "outside"), "the user's link is kept"
    assert not (stale / "ssh.tf").exists(), "the stale generated files are gone"


# ------------------------------------------------------------ foreign directories, --force


def test_a_foreign_directory_is_refused(world: Path) -> None:
    foreign = world / "foreign"
    (foreign / "modules").mkdir(parents=True)
    (foreign / "main.tf").write_text("# mine\n")
    (foreign / "modules" / "mine.tf").write_text("# mine too\n")
    before = snapshot(world)
    assert_user_error(cli("generate", "-o", str(foreign)), str(foreign), "--force")
    assert snapshot(world) == before


def test_force_keeps_backups_of_the_users_files(world: Path) -> None:
    foreign = world / "foreign"
    (foreign / "modules").mkdir(parents=True)
    (foreign / "main.tf").write_text("# my main\n")
    (foreign / "main.tf.typhoon-tf-backup-1").write_text("# an older backup\n")
    (foreign / "README.md").write_text("# my readme\n")
    (foreign / "notes.txt").write_text("notes\n")
    (foreign / "modules" / "mine.tf").write_text("# mine too\n")
    outside_before = snapshot(world / "outside")
    proc = cli("generate", "--force", "-o", str(foreign))
    assert proc.returncode == 0, proc.stderr
    assert (foreign / "main.tf.typhoon-tf-backup-1").read_text() == "# an older backup\n"
    assert (foreign / "main.tf.typhoon-tf-backup-2").read_text() == "# my main\n"
    assert (foreign / "README.md.typhoon-tf-backup-1").read_text() == "# my readme\n"
    assert (foreign / "notes.txt").read_text() == "notes\n"
    assert (foreign / "modules" / "mine.tf").read_text() == "# mine too\n"
    assert "module" in (foreign / "main.tf").read_text()
    assert snapshot(world / "outside") == outside_before
    # From now on the files are typhoon-tf's: regenerating makes no more backups.
    after_first = snapshot(foreign)
    assert cli("generate", "-o", str(foreign)).returncode == 0
    assert snapshot(foreign) == after_first


# ------------------------------------------------------------------- platform switch


@pytest.mark.parametrize("state", ["terraform.tfstate", ".terraform", "backend.tf"])
def test_switching_platform_over_state_is_refused(world: Path, cluster: Path, state: str) -> None:
    if state == ".terraform":
        (cluster / state).mkdir()
    else:
        (cluster / state).write_text("{}\n")
    before = snapshot(world)
    proc = cli("generate", "google-cloud", "-o", str(cluster))
    assert_user_error(proc, str(cluster), "platform aws", "platform google-cloud", "--force")
    assert snapshot(world) == before
    forced = cli("generate", "google-cloud", "--force", "-o", str(cluster))
    assert forced.returncode == 0, forced.stderr
    marker = json.loads((cluster / MARKER).read_text())
    assert (marker["platform"], marker["os"]) == ("google-cloud", "fedora-coreos")
    assert (cluster / state).exists(), "state is never touched"


def test_switching_platform_without_state_is_fine(cluster: Path) -> None:
    assert cli("generate", "digital-ocean", "-o", str(cluster)).returncode == 0
    assert not (cluster / "modules/aws").exists()


# ------------------------------------------------------------------ typhoon-tf modules


def test_modules_refuses_a_foreign_directory_and_backs_it_up_with_force(world: Path) -> None:
    mine = world / "modules"
    mine.mkdir()
    (mine / "vpc.tf").write_text("# my module\n")
    before = snapshot(world)
    assert_user_error(cli("modules", cwd=world), "modules", "--force")
    assert snapshot(world) == before
    proc = cli("modules", "--force", cwd=world)
    assert proc.returncode == 0, proc.stderr
    assert (world / "modules.typhoon-tf-backup-1" / "vpc.tf").read_text() == "# my module\n"
    assert (mine / MARKER).is_file() and (mine / "aws").is_dir()
    # Its own tree is regenerated without --force, and nothing is left beside it.
    (mine / "aws" / "stray.tf").write_text("# stale\n")
    assert cli("modules", cwd=world).returncode == 0
    assert not (mine / "aws" / "stray.tf").exists()
    names = sorted(p.name for p in world.iterdir())
    assert names == ["modules", "modules.typhoon-tf-backup-1", "outside"]


def test_modules_help_shows_its_default() -> None:
    proc = cli("modules", "--help")
    assert proc.returncode == 0 and "(default: modules)" in proc.stdout


# ------------------------------------------------------------------ unwritable outputs


def _drop_dac_override() -> None:
    """Run the child without root's permission override, so a 0555 directory is read-only."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def unwritable(world: Path, kind: str) -> tuple[Path, Callable[[], None] | None]:
    """An output path that cannot be written, and the `preexec_fn` the CLI must run under."""
    if kind == "below-a-file":
        (world / "file").write_text("x\n")
        return world / "file" / "sub" / "out", None
    if kind == "read-only-dir":
        (world / "ro").mkdir()
        os.chmod(world / "ro", 0o555)
        return world / "ro" / "out", _drop_dac_override if os.geteuid() == 0 else None
    return Path("/proc/typhoon-tf-test/out"), None


UNWRITABLE = ["below-a-file", "read-only-dir", "proc"]


@pytest.fixture
def restore_modes(world: Path) -> Iterator[None]:
    yield
    for path in world.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)


@pytest.mark.parametrize("kind", UNWRITABLE)
@pytest.mark.parametrize(
    "command",
    [
        ["generate", "aws", "-o"],
        ["modules", "-o"],
        ["butane", "-o"],
    ],
    ids=["generate", "modules", "butane"],
)
def test_unwritable_output_is_one_line(
    world: Path, kind: str, command: list[str], restore_modes: None
) -> None:
    out, preexec_fn = unwritable(world, kind)
    stdin = "variant: fcos\nversion: 1.4.0\n" if command[0] == "butane" else None
    before = snapshot(world)
    proc = cli(*command, str(out), input=stdin, preexec_fn=preexec_fn)
    assert_user_error(proc, str(out), "cannot write output")
    assert snapshot(world) == before


def test_kubeconfig_below_a_file_is_one_line(world: Path) -> None:
    fake = world / "fake-terraform"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        '  version) echo \'{"terraform_version": "1.5.7"}\' ;;\n'
        '  output) echo \'{"kubeconfig-admin": {"sensitive": true, "value": "k"}}\' ;;\n'
        "  *) exit 0 ;;\n"
        "esac\n"
    )
    fake.chmod(0o755)
    out, _ = unwritable(world, "below-a-file")
    before = snapshot(world)
    proc = cli("kubeconfig", "-C", str(world), "--binary", str(fake), "-o", str(out))
    assert_user_error(proc, str(out), "cannot write output")
    assert snapshot(world) == before


# ---------------------------------------------------------------- the library contract


def test_every_file_the_generator_writes_is_an_owned_path() -> None:
    from typhoon_tf.config import example_config
    from typhoon_tf.generate.backend import BACKEND_FILE
    from typhoon_tf.generate.root_module import root_module
    from typhoon_tf.platforms import OPERATING_SYSTEMS, available_platforms

    seen: set[str] = {BACKEND_FILE}
    for platform in available_platforms():
        for os_name in OPERATING_SYSTEMS:
            config = example_config(platform, os_name)
            for updates in (False, True):
                seen |= set(root_module(replace(config, coordinated_updates=updates)))
    problems = {rel: owned_path_problem(rel) for rel in seen if owned_path_problem(rel)}
    assert not problems
    assert any(rel.startswith("addons/") for rel in seen)


def test_an_interrupted_switch_is_finished_by_the_next_run(tmp_path: Path) -> None:
    """Crash after every single rename of a regeneration; the next run completes it."""
    old = {"main.tf": "old\n", "outputs.tf": "o\n", "modules/aws/x/kubernetes/a.tf": "a\n"}
    old |= {"addons/fluo/fluo.yaml": "f\n", "README.md": "r\n"}
    new = {"main.tf": "new\n", "outputs.tf": "o2\n", "modules/aws/y/kubernetes/b.tf": "b\n"}
    new |= {"README.md": "r2\n", "versions.tf": "v\n"}
    reference = tmp_path / "reference"
    write_generated_dir(reference, new)
    mixed = 0
    for step in range(1, 40):
        root = tmp_path / f"r{step}"
        write_generated_dir(root, old)
        (root / "terraform.tfstate").write_text("{}\n")
        crashed = _crash_after(step, lambda r=root: write_generated_dir(r, new))  # type: ignore[misc]
        if not crashed:
            break
        state = _generated_part(root)
        if state not in (_generated_part(reference), _old_state(tmp_path, old)):
            mixed += 1
            assert any(p.name == "journal.json" for p in root.glob(".typhoon-tf.staging.*/*"))
        write_generated_dir(root, new)
        assert _generated_part(root) == _generated_part(reference), step
        assert not list(root.glob(".typhoon-tf.staging.*")), "leftovers after the next run"
        assert (root / "terraform.tfstate").read_text() == "{}\n"
    assert step > 5 and mixed > 0, "the crash points covered the switch itself"


class Crash(BaseException):
    pass


def _crash_after(step: int, action: Callable[[], None]) -> bool:
    """Run `action`, raising Crash at its `step`-th rename; True when it crashed."""
    count = 0
    real_replace, real_rename, real_exchange = os.replace, os.rename, fsutil.replace_dir

    def counted(real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            nonlocal count
            count += 1
            if count == step:
                raise Crash
            return real(*args, **kwargs)

        return call

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "replace", counted(real_replace))
    mp.setattr(os, "rename", counted(real_rename))
    mp.setattr(output_dir, "replace_dir", counted(real_exchange))
    try:
        action()
    except Crash:
        return True
    finally:
        mp.undo()
    return False


def _generated_part(root: Path) -> Tree:
    tree = snapshot(root)
    return {
        k: v
        for k, v in tree.items()
        if not k.startswith(".typhoon-tf.staging.") and k != "terraform.tfstate"
    }


def _old_state(tmp_path: Path, old: dict[str, str]) -> Tree:
    reference = tmp_path / "old-reference"
    if not reference.exists():
        write_generated_dir(reference, old)
    return _generated_part(reference)


# ------------------------------------------------------------- leftovers of crashed runs


def test_leftovers_of_crashed_runs_are_removed_and_only_ours(world: Path, cluster: Path) -> None:
    ours_beside = world / ".cluster.staging.abcd1234"
    shutil.copytree(cluster, ours_beside)  # a staging tree starts with our marker
    empty_beside = world / ".cluster.staging.efgh5678"
    empty_beside.mkdir()
    theirs_beside = world / ".cluster.staging.ijkl9012"
    theirs_beside.mkdir()
    (theirs_beside / "data.txt").write_text("not ours\n")
    # Killed between creating the marker (written first) and writing its bytes.
    marker_only = world / ".cluster.staging.yzab5678"
    marker_only.mkdir()
    (marker_only / MARKER).write_bytes(b"")
    # An empty marker beside other files is not a state a run of ours can leave.
    theirs_with_marker = world / ".cluster.old.cdef9012"
    theirs_with_marker.mkdir()
    (theirs_with_marker / MARKER).write_bytes(b"")
    (theirs_with_marker / "data.txt").write_text("not ours\n")
    ours_inside = cluster / ".typhoon-tf.staging.mnop3456"
    (ours_inside / "new").mkdir(parents=True)
    (cluster / ".main.tf.qrst7890.tmp").write_text("half a file")
    (cluster / "modules" / ".ssh.tf.uvwx1234.tmp").write_text("half a file")
    (cluster / ".notes.tmp").write_text("the user's\n")
    proc = cli("generate", "aws", "--os", "flatcar-linux", "-o", str(cluster))
    assert proc.returncode == 0, proc.stderr
    for gone in (
        ours_beside,
        empty_beside,
        marker_only,
        ours_inside,
        cluster / ".main.tf.qrst7890.tmp",
    ):
        assert not gone.exists(), gone
    assert not (cluster / "modules" / ".ssh.tf.uvwx1234.tmp").exists()
    assert (theirs_beside / "data.txt").read_text() == "not ours\n"
    assert (theirs_with_marker / "data.txt").read_text() == "not ours\n"
    assert (cluster / ".notes.tmp").read_text() == "the user's\n"
