"""The only skips CI tolerates: prerequisites that `scripts/setup.sh --test` cannot install.

Under CI=true `tests/conftest.py` turns every other skip into a failure (a tool the project
can install must be there). Each reason here is listed in README.md's "Develop" section.
"""

from __future__ import annotations

from typhoon_tf.versions import TERRAFORM_FLOOR

# conftest.py recognises a tolerated skip by this text in its reason.
MARK = "cannot be installed by scripts/setup.sh"

_FLOOR = ".".join(map(str, TERRAFORM_FLOOR))

NO_MODERN_TERRAFORM = (
    f"no Terraform >= {_FLOOR} (versions.TERRAFORM_FLOOR) on PATH; {MARK}: PyPI ships only "
    "1.0.3 and Debian none, so it comes with the machine image"
)
NO_REAL_AWS_PROVIDER = (
    f"no real hashicorp/aws provider in a local filesystem mirror; {MARK}: provider binaries "
    "come from no registry we reach, so it comes with the machine image"
)
NOT_ROOT = f"Ignition's files stage needs root (useradd, chown); {MARK}: run the tests as root"
