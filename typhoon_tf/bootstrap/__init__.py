"""The bootstrap Terraform module (TLS, kubeconfigs, static pods, manifests) as generated files."""

from typhoon_tf.bootstrap.module import bootstrap_module, write_bootstrap_module

__all__ = ["bootstrap_module", "write_bootstrap_module"]
