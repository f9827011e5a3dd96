"""typhoon-tf: generate Typhoon-compatible Terraform modules for Kubernetes.

Data flows one way: cluster config -> node content -> Ignition -> HCL -> terraform.
"""

from typhoon_tf.errors import UserError

__all__ = ["UserError", "__version__"]
__version__ = "0.1.0"
