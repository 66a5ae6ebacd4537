import copy
import time

import pytest

from clusterctl.errors import InvalidInput
from clusterctl.yamlsrc import (
    Document,
    MarkedList,
    MarkedMap,
    key_path,
    load_documents,
    load_one,
    read_text,
)

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        load_documents(text, "f.yaml")
    assert all(p.file == "f.yaml" for p in caught.value.problems)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def test_lines_of_keys_and_items_count_in_the_whole_file():
    text = "a: 1\n---\n# comment\nkind: X\nspec:\n  ports:\n    - 80\n    -   443\n  name: web\n"
    first, second = load_documents(text, "f.yaml")
    assert first == Document({"a": 1}, 1)
    assert second.line == 4
    spec = second.value["spec"]
    assert isinstance(spec, MarkedMap) and spec.line == 6
    assert second.value.key_lines == {"kind": 4, "spec": 5}
    assert spec.key_lines == {"ports": 6, "name": 9}
    assert isinstance(spec["ports"], MarkedList)
    assert spec["ports"].item_lines == [7, 8]


def test_empty_documents_are_skipped():
    docs = load_documents("---\n---\n# only a comment\n---\nx: 1\n---\n~\n", "f.yaml")
    assert [d.value for d in docs] == [{"x": 1}]


@pytest.mark.parametrize(
    ("scalar", "value"),
    [("yes", True), ("off", False), ("'yes'", "yes"), ("0x1f", 31), ("1.5", 1.5), ("~", None), ("v1.32.0", "v1.32.0")],
)
def test_scalars_resolve_as_yaml_1_1_safe_types(scalar, value):
    assert load_one(f"k: {scalar}\n", "f.yaml").value == {"k": value}


def test_merge_keys_are_expanded_and_explicit_keys_win():
    doc = load_one("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n", "f.yaml").value
    assert doc["c"] == {"x": 1, "y": 3}
    assert doc["c"].key_lines == {"y": 4, "x": 1}


def test_marked_values_survive_deepcopy():
    doc = load_one("a:\n  - b: 1\n", "f.yaml").value
    clone = copy.deepcopy(doc)
    assert clone == doc and clone.key_lines == {"a": 1} and clone["a"].item_lines == [2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n\tb: 1\n", [(2, "", "a tab character is not allowed here; indent YAML with spaces")]),
        ("a: [1, 2\nb: 3\n", [(1, "", 'unclosed "[": no matching "]" (or a missing ",") before line 2')]),
        ("x: 1\na: {b: 1\n", [(2, "", 'unclosed "{": no matching "}" (or a missing ",") before the end of the file')]),
        ('a: "abc\nb: 1\n', [(1, "", "unclosed quote: the string that starts here is never closed")]),
        ("a:\n  b: 1\n c: 2\n", [(3, "", "bad indentation: this line does not line up with the lines above it")]),
        ("a: b: c\n", [(1, "", 'unexpected ":"; quote a value that contains ": "')]),
        ("a: 1\nb:\n  name: x\n  name: y\n", [(4, "b.name", 'duplicate key "name" (first at line 3)')]),
        ("on: 1\n", [(1, "", 'key on is read as a boolean, not a string; quote it: "on"')]),
        ("a:\n  1: x\n", [(2, "a", 'key 1 is read as an integer, not a string; quote it: "1"')]),
        ("? [a]\n: 1\n", [(1, "", "keys must be strings, not a list or a mapping")]),
        ("a: *nowhere\n", [(1, "a", 'alias "*nowhere" has no anchor "&nowhere" before it')]),
        ("a: &x [*x]\n", [(1, "a[0]", 'alias "*x" refers to the node that contains it')]),
        ("a: !Ref thing\n", [(1, "a", "unsupported YAML tag !Ref")]),
        ("a: !!int nope\n", [(1, "a", "invalid int: invalid literal for int() with base 10: 'nope'")]),
    ],
)
def test_yaml_problems_say_what_and_where(text, expected):
    assert problems(text) == expected


def test_all_duplicate_keys_of_a_file_are_reported_together():
    found = problems("a: 1\na: 2\n---\nb:\n  - c: 1\n    c: 2\n")
    assert found == [
        (2, "a", 'duplicate key "a" (first at line 1)'),
        (6, "b[0].c", 'duplicate key "c" (first at line 5)'),
    ]


def test_billion_laughs_fails_fast():
    start = time.perf_counter()
    assert problems(BILLION_LAUGHS) == [(5, "e[0]", "YAML aliases expand too far")]
    assert time.perf_counter() - start < 0.2


def test_deeply_nested_aliases_fail():
    text = "a0: &a0 x\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 12))
    assert problems(text)[0][2] == "YAML aliases expand too far"


def test_modest_aliases_are_fine():
    doc = load_one("x: &x {a: 1}\ny: *x\nz: [*x, *x]\n", "f.yaml").value
    assert doc["y"] == doc["z"][1] == {"a": 1}


def test_nesting_is_bounded():
    assert problems("a: " + "[" * 300 + "]" * 300)[0][2] == "YAML nests deeper than 200 levels"


def test_large_documents_without_aliases_load():
    text = "".join(f"k{i}: [1, 2, {{a: b}}]\n" for i in range(5000))
    assert len(load_one(text, "f.yaml").value) == 5000


def test_load_one_refuses_empty_and_multiple_documents():
    with pytest.raises(InvalidInput) as empty:
        load_one("# nothing\n", "f.yaml")
    assert empty.value.problems[0].message == "the file is empty; expected one YAML document"
    with pytest.raises(InvalidInput) as two:
        load_one("a: 1\n---\nb: 2\n", "f.yaml")
    assert two.value.problems[0].line == 3
    assert "expected one YAML document, found 2" in two.value.problems[0].message


def read_problem(path) -> tuple[str, int | None, str]:
    with pytest.raises(InvalidInput) as caught:
        read_text(path)
    (problem,) = caught.value.problems
    return problem.file, problem.line, problem.message


def test_read_text_reads_utf8(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes("\ufeffname: café\n".encode())
    assert read_text(path) == "name: café\n"


def test_read_text_refusals(tmp_path):
    missing = tmp_path / "missing.yaml"
    assert read_problem(missing) == (str(missing), None, "file not found")
    assert read_problem(tmp_path) == (str(tmp_path), None, "is a directory, expected a file")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"a: 1\n\0\0")
    assert read_problem(binary)[2] == "is a binary file (it contains NUL bytes); expected UTF-8 text"
    latin = tmp_path / "l.yaml"
    latin.write_bytes(b"a: 1\nb: caf\xe9\n")
    assert read_problem(latin) == (str(latin), 2, "is not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    assert "larger than 5 MiB" in read_problem(big)[2]


@pytest.mark.parametrize(
    ("parent", "key", "path"),
    [("", "images", "images"), ("images", 1, "images[1]"), ("images[1]", "context", "images[1].context"),
     ("metadata.labels", "app.kubernetes.io/name", 'metadata.labels["app.kubernetes.io/name"]')],
)
def test_key_path(parent, key, path):
    assert key_path(parent, key) == path
