"""Kubernetes manifests: reading them from the profile's sources, and rendering them for a run."""
