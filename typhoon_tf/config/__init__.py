"""Cluster configuration: the YAML a user writes, its JSON Schema, defaults and cross-field checks.

from typhoon_tf.config import load_cluster_config
config = load_cluster_config("cluster.yaml")      # or example_config("aws")
"""

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
