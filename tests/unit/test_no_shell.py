"""No shell strings anywhere: every process is started from an argv list, so profile values stay data."""

import ast
from pathlib import Path

from clusterctl.profile.model import Image
from clusterctl.tools.docker import Docker
from tests.fakes import FakeRunner

ROOT = Path(__file__).resolve().parents[2]
SHELL_CALLS = {("os", "system"), ("os", "popen"), ("subprocess", "getoutput"), ("subprocess", "getstatusoutput")}


def python_files():
    for path in ROOT.rglob("*.py"):
        if not any(part.startswith(".") or part in ("build", "__pycache__") for part in path.relative_to(ROOT).parts):
            yield path


def offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                found.append(f"{path}:{node.lineno}: shell=")
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and (func.value.id, func.attr) in SHELL_CALLS:
            found.append(f"{path}:{node.lineno}: {func.value.id}.{func.attr}")
    return found


def test_no_file_in_the_repository_starts_a_shell():
    files = list(python_files())
    assert len(files) > 50
    assert [o for f in files for o in offences(f)] == []


def test_profile_values_reach_docker_verbatim_as_single_arguments(tmp_path):
    hostile = "$(touch /tmp/pwned); rm -rf ~ `id`"
    image = Image(name="bff", context=tmp_path, dockerfile=tmp_path / "Dockerfile",
                  build_args=(("NOTE", hostile),), target="t; echo", repository="bff")
    runner = FakeRunner().expect("docker", "build", "--force-rm", "-t", "bff:1", "-f", str(tmp_path / "Dockerfile"),
                                 "--label", "dev.clusterctl.inputs=1", "--target", "t; echo",
                                 "--build-arg", f"NOTE={hostile}",
                                 str(tmp_path))
    Docker(runner).build(image, "bff:1", "1")
    runner.assert_done()
