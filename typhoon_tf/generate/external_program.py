"""The `program` of the `external` data source that transpiles snippets given as Terraform
variables (`controller_snippets`, `worker_snippets`, bare-metal's `snippets`).

Terraform runs it wherever `plan` runs. On hosted runners (Terraform Cloud, Spacelift,
Atlantis images) typhoon-tf is usually not installed, and Terraform's own error for a
missing executable names only the program. A `precondition` cannot see the runner's PATH,
so the program is a POSIX `sh` line that looks typhoon-tf up first and otherwise fails with
the fix: install it there, or give the snippets in cluster.yaml (generate-time snippets,
which need nothing at plan time). The external provider shows that stderr text verbatim.
"""

from __future__ import annotations

from typing import Final

MISSING_MESSAGE: Final = (
    "typhoon-tf is not on PATH where Terraform runs. It transpiles Butane snippets given as "
    "Terraform variables (controller_snippets, worker_snippets, snippets). Install it there "
    "(pip install from the typhoon-tf checkout), or move the snippets into the cluster "
    "config (snippets: in cluster.yaml) and run typhoon-tf generate: generate-time "
    "snippets need nothing at plan time. See docs/snippets.md."
)

# `exec` keeps the provider's view of the process (stdin query, stdout result) unchanged.
EXTERNAL_PROGRAM: Final = (
    "sh",
    "-c",
    "command -v typhoon-tf >/dev/null 2>&1 || "
    f"{{ echo '{MISSING_MESSAGE}' >&2; exit 127; }}; exec typhoon-tf external butane",
)
