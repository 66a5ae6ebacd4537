"""Concrete fixes for the local-wiring failures that other tools leave unexplained."""

from __future__ import annotations

import re

from clusterctl.imageref import ImageRef, same_repository
from clusterctl.podstate import Blocker

_IMAGE_IN_MESSAGE = re.compile(r'image "([^"]+)"')


def _image_of(blocker: Blocker, pod: dict) -> str:
    for c in (pod.get("spec") or {}).get("containers") or []:
        if c.get("name") == blocker.container:
            return c.get("image", "")
    match = _IMAGE_IN_MESSAGE.search(blocker.message)
    return match.group(1) if match else ""


def _ours(ctx, image: str):
    return next((i for i in ctx.profile.images if same_repository(image, i.repository)), None)


def image_pull(ctx, blocker: Blocker, events: list[str], pod: dict) -> str:
    image = _image_of(blocker, pod)
    ref = ImageRef.parse(image) if image else None
    shipping = ctx.profile.shipping
    text = " ".join(events + [blocker.message]).lower()
    if ref and ref.pulls_always and shipping.mode == "load":
        return (f"{image!r} has {'the tag :latest' if ref.tag else 'no tag'}, so Kubernetes sets imagePullPolicy "
                "Always and pulls from the registry instead of using the image loaded into the node: pin a tag "
                "(clusterctl pins the images it builds) or set imagePullPolicy: IfNotPresent")
    if any(word in text for word in ("unauthorized", "denied", "authentication required", "401")):
        if not shipping.pull_secret:
            return (f"the registry refused the pull of {image!r}: a private image needs an imagePullSecret; set "
                    "shipping.pullSecret (clusterctl creates it from shipping.auth) or make the package public")
        auth = shipping.auth
        return (f"the pull secret {shipping.pull_secret!r} was refused: check the token in "
                f"${auth.pull_password_env or auth.password_env} (user {auth.pull_user!r})")
    ours = _ours(ctx, image) if image else None
    if shipping.mode == "load":
        if ours:
            return (f"{image!r} is not on the node: run `clusterctl up {ctx.profile.name}` (it loads what it builds), "
                    f"or `{ctx.driver.load_commands([image])[0].display()}`")
        return (f"{image!r} is not on the node and could not be pulled: check the name and tag, or add it to the "
                "profile's images so clusterctl builds and loads it")
    return f"{image!r} is not in the registry: check the name and tag, and that `clusterctl up` pushed it"


def config_error(blocker: Blocker) -> str:
    missing_secret = re.search(r'secret "([^"]+)" not found', blocker.message)
    missing_key = re.search(r"couldn't find key (\S+) in (Secret|ConfigMap) (\S+)", blocker.message)
    if missing_secret:
        name = missing_secret.group(1)
        return (f"Secret {name!r} does not exist: declare it in the profile (secrets: - name: {name}, fromEnv: ...) "
                "so clusterctl creates it from your environment, or fix the name in secretKeyRef")
    if missing_key:
        key, kind, where = missing_key.groups()
        return f"{kind} {where} has no key {key!r}: add it (fromEnv in the profile for Secrets) or fix the key name"
    if "configmap" in blocker.message.lower():
        return "a ConfigMap the pod needs does not exist: add it to the manifests or fix its name"
    return "a Secret or ConfigMap the pod refers to is missing: add it or fix the reference"


def probe(kind: str) -> str:
    return (f"the {kind} probe fails: check its path and port against what the app serves, and give it an "
            "initialDelaySeconds long enough for start-up")


def for_reason(ctx, reason: str, blocker: Blocker, events: list[str], pod: dict) -> str:
    if reason == "ImagePull":
        return image_pull(ctx, blocker, events, pod)
    if reason == "InvalidImageName":
        return "the image reference is malformed: fix it in the manifest"
    if reason == "CreateContainerConfigError":
        return config_error(blocker)
    if reason == "ExecFormatError":
        return ("the image was built for another CPU architecture: set images[].platform to the node's (e.g. "
                "linux/amd64) or build a multi-platform image")
    if reason == "OOMKilled":
        return "the container ran out of memory: raise resources.limits.memory or lower the app's use"
    if reason == "CrashLoopBackOff":
        return "the container keeps exiting: read its last log lines above (from the previous instance)"
    if reason == "Unschedulable":
        return "no node can take the pod: lower resources.requests, or add nodes (cluster.kind.workers)"
    return ""

