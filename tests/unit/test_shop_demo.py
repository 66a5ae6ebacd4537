"""The demo shop as a person meets it: the page in a browser reads its items from its own origin, and
the manifests apply on the oldest cluster clusterctl accepts. Go is not needed: the wiring is read from
the sources and the manifests."""

import re
from pathlib import Path

import yaml

from clusterctl.lint import lint_files
from clusterctl.manifests.source import parse_manifest_text

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "shop"
SERVICES = ("catalogue", "bff", "frontend")


def objects(name: str) -> list[dict]:
    return list(yaml.safe_load_all((ROOT / "manifests" / f"{name}.yaml").read_text()))


def find(kind: str, name: str) -> dict:
    return next(o for s in SERVICES for o in objects(s) if o["kind"] == kind and o["metadata"]["name"] == name)


def env(deployment: dict) -> dict:
    return {e["name"]: e["value"] for e in deployment["spec"]["template"]["spec"]["containers"][0].get("env", [])}


def test_the_page_fetches_its_items_from_its_own_origin():
    source = (SHOP / "frontend" / "main.go").read_text()
    fetched = re.findall(r'fetch\((.*?)\)', source)
    assert fetched == ['"/api/items"']  # a relative URL: no second origin, so no CORS needed


def test_the_frontend_passes_api_calls_to_the_bff_service_it_names():
    source = (SHOP / "frontend" / "main.go").read_text()
    assert re.search(r'mux\.Handle\("/api/", httputil\.NewSingleHostReverseProxy\(bff\)\)', source)
    default = re.search(r'raw = "(http://[^"]+)"', source).group(1)
    configured = env(find("Deployment", "frontend"))["BFF_URL"]
    service = find("Service", "bff")
    port = service["spec"]["ports"][0]["port"]
    assert configured == default == f"http://{service['metadata']['name']}:{port}"
    # the Service reaches the bff pods, which answer the path the page asks for
    bff = find("Deployment", "bff")
    assert service["spec"]["selector"].items() <= bff["spec"]["template"]["metadata"]["labels"].items()
    container = bff["spec"]["template"]["spec"]["containers"][0]
    assert service["spec"]["ports"][0]["targetPort"] == container["ports"][0]["containerPort"]
    assert 'HandleFunc("/api/items"' in (SHOP / "bff" / "main.go").read_text()


def test_every_service_drains_on_sigterm_instead_of_a_prestop_sleep():
    for name in SERVICES:
        source = (SHOP / name / "main.go").read_text()
        assert "signal.Notify(stop, syscall.SIGTERM" in source and "srv.Shutdown(ctx)" in source, name
        assert "preStop" not in (ROOT / "manifests" / f"{name}.yaml").read_text(), name


def test_the_demo_manifests_lint_clean_on_the_oldest_kind_and_minikube():
    from clusterctl.toolversions import OLDEST_KUBERNETES

    docs = [d for name in SERVICES for d in parse_manifest_text(
        (ROOT / "manifests" / f"{name}.yaml").read_text(), f"manifests/{name}.yaml")]
    for driver, oldest in OLDEST_KUBERNETES.items():
        findings = lint_files([], docs, None, namespace="shop", oldest_version=oldest,
                              managed_images=[f"ghcr.io/tigaweb/{s}" for s in SERVICES])
        assert [f for f in findings if f.severity == "error"] == [], driver
