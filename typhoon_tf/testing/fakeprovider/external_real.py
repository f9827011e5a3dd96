"""The `external` data source, for real: run `program` with the `query` object on stdin
and return its JSON object of strings, failing with its stderr, as hashicorp/external does."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from typhoon_tf.testing.fakeprovider.errors import ProviderError


def read_external(config: dict[str, Any]) -> dict[str, Any]:
    program = [str(p) for p in config.get("program") or []]
    if not program:
        raise ProviderError("External Program Missing", "program must have at least one element")
    query = config.get("query") or {}
    working_dir = config.get("working_dir") or None
    try:
        proc = subprocess.run(
            program,
            input=json.dumps(query).encode(),
            capture_output=True,
            cwd=working_dir,
            env=os.environ.copy(),
            check=False,
        )
    except OSError as err:
        raise ProviderError(
            "External Program Lookup Failed",
            "The data source received an unexpected error while attempting to find the program."
            "\n\n"
            f"Program: {program[0]}\nError: {err}",
            path=["program"],
        ) from err
    if proc.returncode != 0:
        raise ProviderError(
            "External Program Execution Failed",
            "The data source received an unexpected error while attempting to execute the program."
            f"\n\nProgram: {program[0]}\nError Message: {proc.stderr.decode(errors='replace')}"
            f"\nState: exit status {proc.returncode}",
            path=["program"],
        )
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        raise ProviderError(
            "Unexpected External Program Results",
            f"The data source received unexpected results after executing the program.\n\n"
            f"Program output must be a JSON encoded map of string keys and string values.\n\n"
            f"Program: {program[0]}\nResult Error: {err}",
            path=["program"],
        ) from err
    if not isinstance(result, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in result.items()
    ):
        raise ProviderError(
            "Unexpected External Program Results",
            "Program output must be a JSON encoded map of string keys and string values.\n\n"
            f"Program: {program[0]}",
            path=["program"],
        )
    return {"result": result, "id": "-"}
