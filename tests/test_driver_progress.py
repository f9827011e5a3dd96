"""The progress display, fed event streams recorded from real Terraform 1.0.3 runs."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from typhoon_tf.driver.progress import Progress, parse_event

DATA = Path(__file__).parent / "data" / "driver"


def _replay(name: str, expected: int | None = None) -> tuple[str, Progress]:
    ticks = itertools.count(0.0, 0.5)  # a fixed clock: every reading is half a second later
    out = io.StringIO()
    progress = Progress(out, expected=expected, clock=lambda: next(ticks))
    for line in (DATA / name).read_text().splitlines(keepends=True):
        progress.handle_line(line)
    return out.getvalue(), progress


def test_plan_stream_lists_changes_then_the_summary() -> None:
    text, progress = _replay("events_plan_tf1.0.3.jsonl")
    assert text == (
        "    + null_resource.slow: create\n[   0.5s] Plan: 1 to add, 0 to change, 0 to destroy.\n"
    )
    assert progress.summary == "Plan: 1 to add, 0 to change, 0 to destroy."


def test_apply_stream_counts_against_the_plan_and_shows_provisioner_output() -> None:
    text, progress = _replay("events_apply_tf1.0.3.jsonl", expected=1)
    lines = text.splitlines()
    assert lines[0] == "[   0.5s] creating null_resource.slow... (0/1 done)"
    assert "null_resource.slow (local-exec): start" in text
    assert "[   1.0s] created null_resource.slow after 1s (1/1)" in lines
    assert lines[-1] == "[   1.5s] Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
    assert progress.done == 1 and progress.errors == []
    assert "planned_change" not in text and "Plan to create" not in text  # already shown


def test_errors_are_shown_in_full_with_their_location() -> None:
    text, progress = _replay("events_apply_error_tf1.0.3.jsonl", expected=2)
    assert progress.errors == ["local-exec provisioner error"]
    assert "bad.tf:2: error: local-exec provisioner error\n" in text
    assert "    Error running command 'exit 3': exit status 3. Output:" in text


def test_non_json_lines_pass_through_and_unknown_events_are_ignored() -> None:
    out = io.StringIO()
    progress = Progress(out, clock=lambda: 0.0)
    progress.handle_line("plain text from terraform\n")
    progress.handle_line('{"type": "some_future_event", "@message": "x"}\n')
    progress.handle_line("{not json\n")
    assert out.getvalue() == "plain text from terraform\n{not json\n"
    assert parse_event('{"no_type": 1}') is None
