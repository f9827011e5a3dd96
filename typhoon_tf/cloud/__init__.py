"""Optional cloud lookups (boto3, Google Cloud clients): preflight checks and images.

Each submodule imports its SDK lazily; without the extra, calls raise `MissingExtra`
(a `CloudProblem`) whose message gives the command that installs the `aws` (or `gcp`)
extra into this checkout's environment (`typhoon_tf.install_hint`).
"""

from typhoon_tf.cloud.errors import CloudProblem, MissingExtra
from typhoon_tf.cloud.images import resolve_image

__all__ = ["CloudProblem", "MissingExtra", "resolve_image"]
