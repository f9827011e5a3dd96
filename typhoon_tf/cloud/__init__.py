"""Optional cloud lookups (boto3, Google Cloud clients): preflight checks and images.

Each submodule imports its SDK lazily; without the extra, calls raise `MissingExtra`
(a `CloudProblem`) whose message says `pip install 'typhoon-tf[aws]'` (or `[gcp]`).
"""

from typhoon_tf.cloud.errors import CloudProblem, MissingExtra
from typhoon_tf.cloud.images import resolve_image

__all__ = ["CloudProblem", "MissingExtra", "resolve_image"]
