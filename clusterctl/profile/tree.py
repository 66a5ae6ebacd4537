"""Profile trees whose every key and item remembers the file and line that wrote it, and their merge.

`extends` mixes files, so a merged mapping may hold keys from several files: each key keeps its own
file, which is what relative paths resolve against and what error messages point at.
"""

from __future__ import annotations

from clusterctl.yamlsrc import MarkedList, MarkedMap, key_path

MERGE_BY_NAME = ("images", "secrets")  # top-level lists whose items merge by `name`


class SourcedMap(MarkedMap):
    def __init__(self, line: int, file: str):
        super().__init__(line=line)
        self.file = file
        self.key_files: dict[str, str] = {}

    def put(self, key: str, value: object, line: int, file: str) -> None:
        self[key] = value
        self.key_lines[key] = line
        self.key_files[key] = file


class SourcedList(MarkedList):
    def __init__(self, line: int, file: str):
        super().__init__(line=line)
        self.file = file
        self.item_files: list[str] = []

    def add(self, value: object, line: int, file: str) -> None:
        self.append(value)
        self.item_lines.append(line)
        self.item_files.append(file)


def sourced(value: object, file: str) -> object:
    """A copy of a YAML value whose mappings and lists all name `file` (aliases become copies)."""
    if isinstance(value, MarkedMap):
        result = SourcedMap(value.line, file)
        for key, item in value.items():
            result.put(key, sourced(item, file), value.key_lines.get(key, value.line), file)
        return result
    if isinstance(value, MarkedList):
        result = SourcedList(value.line, file)
        for item, line in zip(value, value.item_lines):
            result.add(sourced(item, file), line, file)
        return result
    return value


def merge(base: object, child: object, path: str = "") -> object:
    """Child over base: mappings deep-merge, lists are replaced, except images and secrets (by name)."""
    if isinstance(base, SourcedMap) and isinstance(child, SourcedMap):
        result = SourcedMap(child.line, child.file)
        for key, value in base.items():
            if key not in child:
                result.put(key, value, base.key_lines[key], base.key_files[key])
        for key, value in child.items():
            merged = merge(base[key], value, key_path(path, key)) if key in base else value
            result.put(key, merged, child.key_lines[key], child.key_files[key])
        return result
    if path in MERGE_BY_NAME and isinstance(base, SourcedList) and isinstance(child, SourcedList):
        return _merge_by_name(base, child, path)
    return child


def _name(item: object) -> str | None:
    name = item.get("name") if isinstance(item, SourcedMap) else None
    return name if isinstance(name, str) else None


def _merge_by_name(base: SourcedList, child: SourcedList, path: str) -> SourcedList:
    result = SourcedList(child.line, child.file)
    slots: dict[str, int] = {}
    for item, line, file in zip(base, base.item_lines, base.item_files):
        if _name(item) and _name(item) not in slots:
            slots[_name(item)] = len(result)
        result.add(item, line, file)
    for item, line, file in zip(child, child.item_lines, child.item_files):
        index = slots.pop(_name(item), None) if _name(item) else None
        if index is None:
            result.add(item, line, file)
        else:
            result[index] = merge(result[index], item, key_path(path, index))
            result.item_lines[index], result.item_files[index] = line, file
    return result


def locations(tree: SourcedMap) -> dict[str, tuple[str, int]]:
    """Key path -> (file, line) for every key and item in the tree; `` is the root."""
    found = {"": (tree.file, tree.line)}
    _walk(tree, "", found)
    return found


def _walk(value: object, path: str, found: dict[str, tuple[str, int]]) -> None:
    if isinstance(value, SourcedMap):
        children = [(key, item, value.key_files[key], value.key_lines[key]) for key, item in value.items()]
    elif isinstance(value, SourcedList):
        children = list(zip(range(len(value)), value, value.item_files, value.item_lines))
    else:
        return
    for key, item, file, line in children:
        child_path = key_path(path, key)
        found[child_path] = (file, line)
        _walk(item, child_path, found)
