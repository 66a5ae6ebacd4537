"""Which release each stand-in CLI plays, and the Kubernetes version that release creates by default.

A test picks the release with CLUSTERCTL_BED_KIND_VERSION / CLUSTERCTL_BED_MINIKUBE_VERSION, as a user
has whatever kind or minikube their package manager gave them.

* kind: `pkg/apis/config/defaults/image.go` at each tag of kubernetes-sigs/kind (v0.20.0 ... v0.32.0).
* minikube: `DefaultKubernetesVersion` / `NewestKubernetesVersion` in `pkg/minikube/constants/constants.go`
  at each tag of kubernetes/minikube (v1.30.0 ... v1.38.1); `--kubernetes-version` takes `stable`
  (the default), `latest` or `newest` too (`cmd/minikube/cmd/start_flags.go`).
"""
from __future__ import annotations

import os

KIND_DEFAULT_IMAGES = {
    "0.20.0": "kindest/node:v1.27.3@sha256:3966ac761ae0136263ffdb6cfd4db23ef8a83cba8a463690e98317add2c9ba72",
    "0.21.0": "kindest/node:v1.29.1@sha256:a0cc28af37cf39b019e2b448c54d1a3f789de32536cb5a5db61a49623e527144",
    "0.22.0": "kindest/node:v1.29.2@sha256:51a1434a5397193442f0be2a297b488b6c919ce8a3931be0ce822606ea5ca245",
    "0.23.0": "kindest/node:v1.30.0@sha256:047357ac0cfea04663786a612ba1eaba9702bef25227a794b52890dd8bcd692e",
    "0.24.0": "kindest/node:v1.31.0@sha256:53df588e04085fd41ae12de0c3fe4c72f7013bba32a20e7325357a1ac94ba865",
    "0.25.0": "kindest/node:v1.31.2@sha256:18fbefc20a7113353c7b75b5c869d7145a6abd6269154825872dc59c1329912e",
    "0.26.0": "kindest/node:v1.32.0@sha256:c48c62eac5da28cdadcf560d1d8616cfa6783b58f0d94cf63ad1bf49600cb027",
    "0.27.0": "kindest/node:v1.32.2@sha256:f226345927d7e348497136874b6d207e0b32cc52154ad8323129352923a3142f",
    "0.28.0": "kindest/node:v1.33.1@sha256:8d866994839cd096b3590681c55a6fa4a071fdaf33be7b9660e5697d2ed13002",
    "0.29.0": "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f",
    "0.30.0": "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a",
    "0.31.0": "kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f",
    "0.32.0": "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5",
}
# release: (stable, latest)
MINIKUBE_KUBERNETES = {
    "v1.30.0": ("v1.26.3", "v1.27.0-rc.0"), "v1.30.1": ("v1.26.3", "v1.27.0-rc.0"),
    "v1.31.0": ("v1.27.3", "v1.27.3"), "v1.31.2": ("v1.27.4", "v1.28.0-rc.1"),
    "v1.32.0": ("v1.28.3", "v1.28.3"), "v1.33.0": ("v1.30.0", "v1.30.0"),
    "v1.34.0": ("v1.31.0", "v1.31.0"), "v1.35.0": ("v1.32.0", "v1.32.0"),
    "v1.36.0": ("v1.33.1", "v1.33.1"), "v1.37.0": ("v1.34.0", "v1.34.0"),
    "v1.38.0": ("v1.35.0", "v1.35.0"), "v1.38.1": ("v1.35.1", "v1.35.1"),
}


def kind() -> str:
    """The kind release played, without the `v` ("0.32.0")."""
    release = os.environ.get("CLUSTERCTL_BED_KIND_VERSION", "0.32.0").lstrip("v")
    if release not in KIND_DEFAULT_IMAGES:
        raise SystemExit(f"bed: no kind release {release} (known: {', '.join(KIND_DEFAULT_IMAGES)})")
    return release


def kind_default_image() -> str:
    return KIND_DEFAULT_IMAGES[kind()]


def minikube() -> str:
    """The minikube release played ("v1.38.1")."""
    release = "v" + os.environ.get("CLUSTERCTL_BED_MINIKUBE_VERSION", "v1.38.1").lstrip("v")
    if release not in MINIKUBE_KUBERNETES:
        raise SystemExit(f"bed: no minikube release {release} (known: {', '.join(MINIKUBE_KUBERNETES)})")
    return release


def minikube_kubernetes(requested: str) -> str:
    """What `--kubernetes-version` resolves to: empty or `stable` is the default, `latest` the newest."""
    stable, latest = MINIKUBE_KUBERNETES[minikube()]
    if requested.lower() in ("", "stable"):
        return stable
    if requested.lower() in ("latest", "newest"):
        return latest
    return requested if requested.startswith("v") else "v" + requested
