"""Profiles: one YAML file (and the profiles it extends) describing a local cluster and the app on it."""

from clusterctl.profile.loader import load
from clusterctl.profile.model import (
    API_VERSION,
    KIND,
    Build,
    Cluster,
    Image,
    KindSettings,
    ManifestSource,
    MinikubeSettings,
    PortMapping,
    Profile,
    RegistryAuth,
    SecretSpec,
    Shipping,
    Wait,
)
from clusterctl.profile.resolve import resolve

__all__ = [
    "API_VERSION", "KIND", "Build", "Cluster", "Image", "KindSettings", "ManifestSource", "MinikubeSettings",
    "PortMapping", "Profile", "RegistryAuth", "SecretSpec", "Shipping", "Wait", "load", "resolve",
]
