"""Reading manifests: kubectl's file order, every object with its file and line, clear refusals."""

from pathlib import Path

import pytest

from clusterctl.errors import InvalidInput
from clusterctl.manifests.source import ManifestDoc, parse_manifest_text, read_manifests
from clusterctl.profile.model import ManifestSource

DATA = Path(__file__).parent / "data" / "manifests"


def summary(docs: list[ManifestDoc]) -> list[tuple[str, str, str, int]]:
    return [(d.obj["kind"], d.obj["metadata"].get("name", ""), d.file.name, d.line) for d in docs]


def test_a_directory_is_read_in_lexical_order_without_recursion():
    docs = read_manifests(ManifestSource(DATA / "app", "dir"))
    assert summary(docs) == [
        ("Namespace", "shop", "10-namespace.yaml", 1),
        ("Deployment", "bff", "20-bff.yml", 2),
        ("Service", "bff", "20-bff.yml", 10),
        ("ConfigMap", "settings", "30-config.json", 1),
    ]
    assert docs[1].file == DATA / "app" / "20-bff.yml"


def test_objects_keep_the_lines_of_their_keys():
    docs = read_manifests(ManifestSource(DATA / "app" / "20-bff.yml", "file"))
    assert docs[0].obj.key_lines["spec"] == 6
    assert docs[0].obj["spec"].key_lines["replicas"] == 7


def test_a_list_is_expanded_into_its_items_with_their_lines():
    docs = read_manifests(ManifestSource(DATA / "list.yaml", "file"))
    assert [(d.obj["kind"], d.line) for d in docs] == [("ConfigMap", 4), ("Job", 8)]
    assert docs[1].obj["metadata"] == {"generateName": "migrate-"}


def test_kustomize_sources_are_rendered_by_the_caller():
    with pytest.raises(ValueError, match="kubectl kustomize"):
        read_manifests(ManifestSource(DATA / "overlay", "kustomize"))


def test_rendered_text_is_parsed_with_its_source_name():
    docs = parse_manifest_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "kustomize overlay")
    assert [(d.obj["metadata"]["name"], str(d.file), d.line) for d in docs] == [("a", "kustomize overlay", 1)]


def problems(source: ManifestSource) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        read_manifests(source)
    return [(Path(p.file).name, p.line, p.path, p.message) for p in caught.value.problems]


def test_invalid_yaml_in_a_manifest():
    assert problems(ManifestSource(DATA / "bad" / "broken.yaml", "file")) == [
        ("broken.yaml", 5, "", 'unclosed "{": no matching "}" (or a missing ",") before the end of the file'),
    ]


def test_documents_that_are_not_kubernetes_objects():
    assert problems(ManifestSource(DATA / "bad" / "not-objects.yaml", "file")) == [
        ("not-objects.yaml", 6, "", "expected a Kubernetes object (a mapping), got a list"),
        ("not-objects.yaml", 9, "", 'expected a Kubernetes object (a mapping), got "just a string"'),
        ("not-objects.yaml", 11, "apiVersion", "required key is missing"),
        ("not-objects.yaml", 12, "metadata.name", "required (or metadata.generateName)"),
        ("not-objects.yaml", 17, "metadata", "expected a mapping"),
        ("not-objects.yaml", 25, "items[1].kind", "required key is missing"),
    ]


def test_problems_of_every_file_in_a_directory_come_together():
    found = problems(ManifestSource(DATA / "bad", "dir"))
    assert {name for name, *_ in found} == {"broken.yaml", "not-objects.yaml"}
    assert len(found) == 7


def test_a_list_whose_items_are_not_a_list():
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_text("apiVersion: v1\nkind: List\nitems: {}\n", "m.yaml")
    assert [(p.line, p.path, p.message) for p in caught.value.problems] == [(3, "items", "a List needs a list of items")]


def test_an_alias_bomb_in_a_manifest_fails_fast():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 10) + "]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_text(bomb, "bomb.yaml")
    assert caught.value.problems[0].message == "YAML aliases expand too far"
