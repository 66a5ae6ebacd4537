"""extends merging: mappings deep-merge, lists are replaced, images and secrets merge by name."""

from clusterctl.profile.tree import locations, merge, sourced
from clusterctl.yamlsrc import load_one


def tree(text: str, file: str):
    return sourced(load_one(text, file).value, file)


BASE = """\
cluster:
  name: shop
  kind: {workers: 1, controlPlanes: 1}
manifests: [a.yaml, b.yaml]
images:
  - name: bff
    context: bff
    buildArgs: {A: "1"}
  - name: db
    context: db
"""
CHILD = """\
cluster:
  kind: {workers: 2}
manifests: [c.yaml]
images:
  - name: web
    context: web
  - name: bff
    buildArgs: {B: "2"}
  - name: web
    context: web2
"""


def test_merge_semantics():
    merged = merge(tree(BASE, "base.yaml"), tree(CHILD, "child.yaml"))
    assert merged["cluster"] == {"name": "shop", "kind": {"workers": 2, "controlPlanes": 1}}
    assert merged["manifests"] == ["c.yaml"]
    assert merged["images"] == [
        {"name": "bff", "context": "bff", "buildArgs": {"A": "1", "B": "2"}},
        {"name": "db", "context": "db"},
        {"name": "web", "context": "web"},
        {"name": "web", "context": "web2"},  # a duplicate stays, for validation to report
    ]


def test_merged_keys_remember_their_file_and_line():
    where = locations(merge(tree(BASE, "base.yaml"), tree(CHILD, "child.yaml")))
    assert where["cluster.name"] == ("base.yaml", 2)
    assert where["cluster.kind.workers"] == ("child.yaml", 2)
    assert where["cluster.kind.controlPlanes"] == ("base.yaml", 3)
    assert where["manifests[0]"] == ("child.yaml", 3)
    assert where["images[0]"] == ("child.yaml", 7)
    assert where["images[0].context"] == ("base.yaml", 7)
    assert where["images[0].buildArgs.B"] == ("child.yaml", 8)
    assert where["images[1].context"] == ("base.yaml", 10)


def test_a_child_value_of_another_type_replaces_the_base():
    merged = merge(tree("wait: {timeout: 5m}\n", "b"), tree("wait: soon\n", "c"))
    assert merged["wait"] == "soon"


def test_aliases_become_independent_copies():
    base = tree("x: &x {a: 1}\ny: *x\n", "b")
    base["x"]["a"] = 2
    assert base["y"] == {"a": 1}
