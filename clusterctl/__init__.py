"""clusterctl: one profile brings a local Kubernetes cluster and its app up, keeps it running, and tears it down."""

__version__ = "0.1.0"
