"""Cluster configuration: the YAML a user writes, its JSON Schema, defaults and cross-field checks.

from typhoon_tf.config import load_cluster_config
config = load_cluster_config("cluster.yaml")      # or example_config("aws")
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typhoon_tf.config.load import example_config, load_cluster_config, parse_cluster_config
    from typhoon_tf.config.model import ClusterConfig, Machine, Snippet, WorkerPool
    from typhoon_tf.config.schema import cluster_schema

__all__ = [
    "ClusterConfig",
    "Machine",
    "Snippet",
    "WorkerPool",
    "cluster_schema",
    "example_config",
    "load_cluster_config",
    "parse_cluster_config",
]

# Loaded on first use: importing any typhoon_tf.config submodule runs this file, and the
# `external butane` program needs only a constant from it, not YAML and JSON Schema.
_LAZY = {
    "example_config": "typhoon_tf.config.load",
    "load_cluster_config": "typhoon_tf.config.load",
    "parse_cluster_config": "typhoon_tf.config.load",
    "ClusterConfig": "typhoon_tf.config.model",
    "Machine": "typhoon_tf.config.model",
    "Snippet": "typhoon_tf.config.model",
    "WorkerPool": "typhoon_tf.config.model",
    "cluster_schema": "typhoon_tf.config.schema",
}

if not TYPE_CHECKING:
    # Hidden from mypy, as in typhoon_tf/__init__.py: misspelt names stay errors.
    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'typhoon_tf.config' has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
