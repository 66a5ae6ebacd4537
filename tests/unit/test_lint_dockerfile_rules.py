"""Dockerfile and build-context rules: each fires where it should, with the line, and stays quiet otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterctl.lint import lint_files, lint_paths

DATA = Path(__file__).parent / "data" / "lint" / "docker"
DIGEST = "@sha256:" + "a" * 64


def lint_dockerfile(tmp_path: Path, text: str, ignore: str | None = ".git\nnode_modules\n*.log\n"):
    context = tmp_path / "ctx"
    context.mkdir(exist_ok=True)
    if ignore is not None:
        (context / ".dockerignore").write_text(ignore)
    path = context / "Dockerfile"
    path.write_text(text)
    return lint_files([path], [], None)


def hits(findings, rule):
    return [f.line for f in findings if f.rule == rule]


# (rule, Dockerfile that fires, the lines it fires on, Dockerfile that does not)
CASES = [
    ("DF000", "FROM alpine:3.20\nCOPPY . /\n", [2], "FROM alpine:3.20\nCOPY . /\n"),
    ("DF001", "FROM alpine:3.20\nRUN true\n", [1], "FROM alpine:3.20\nUSER 10001\n"),
    ("DF001", "FROM alpine:3.20\nUSER app\nUSER root\n", [3], "FROM alpine:3.20\nUSER root\nRUN true\nUSER app\n"),
    ("DF001", "FROM alpine:3.20 AS base\nUSER 0:0\nFROM base\nRUN true\n", [2],
     "FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN true\n"),
    ("DF001", "FROM scratch\nCOPY app /app\n", [1], "FROM gcr.io/distroless/static:nonroot\nCOPY app /app\n"),
    ("DF002", "FROM python\nUSER 1\n", [1], f"FROM python:3.12-slim{DIGEST}\nUSER 1\n"),
    ("DF002", "FROM registry.local:5000/python:latest\nUSER 1\n", [1], "FROM scratch\nUSER 1\n"),
    ("DF002", "ARG BASE=python\nFROM ${BASE}\nUSER 1\n", [2], "ARG BASE\nFROM ${BASE}\nUSER 1\n"),
    ("DF003", "FROM python:3.12-slim\nUSER 1\n", [1], f"FROM python:3.12-slim{DIGEST}\nUSER 1\n"),
    ("DF004", "FROM alpine:3.20\nENV DB_PASSWORD=hunter2\nUSER 1\n", [2], "FROM alpine:3.20\nENV DB_HOST=db\nUSER 1\n"),
    ("DF004", "ARG GITHUB_TOKEN=ghp_example\nFROM alpine:3.20\nUSER 1\n", [1], "ARG GITHUB_TOKEN\nFROM alpine:3.20\nUSER 1\n"),
    ("DF004", "FROM alpine:3.20\nENV API_KEY abc def\nUSER 1\n", [2], "FROM alpine:3.20\nARG API_KEY\nENV API_KEY=${API_KEY}\nUSER 1\n"),
    ("DF004", "FROM alpine:3.20\nENV GITHUB_PAT=ghp_example\nUSER 1\n", [2], "FROM alpine:3.20\nENV GITHUB_USER=me\nUSER 1\n"),
    ("DF004", "FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY=x\nUSER 1\n", [2],
     "FROM alpine:3.20\nENV GPG_KEY=A035C8C19219BA82 DB_PASSWORD_FILE=/run/secrets/db TOKEN_URL=https://x\nUSER 1\n"),
    ("DF005", "FROM golang:1.22\nRUN go build -o /app .\nUSER 1\n", [1],
     "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n"),
    ("DF005", "FROM maven:3.9 AS build\nRUN mvn package\nFROM build\nUSER 1\n", [3],
     "FROM maven:3.9 AS build\nRUN mvn package\nFROM eclipse-temurin:21-jre\nUSER 1\n"),
    ("DF005", "FROM mcr.microsoft.com/dotnet/sdk:8.0\nUSER 1\n", [1], "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER 1\n"),
    ("DF006", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n", [3],
     "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nUSER node\n"),
    ("DF006", "FROM python:3.12\nCOPY ./ /app\nRUN pip install --no-cache-dir -r /app/requirements.txt\nUSER 1\n", [2],
     "FROM golang:1.22 AS b\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nUSER 1\n"),
    ("DF009", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER 1\n", [2],
     "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n"
     " && rm -rf /var/lib/apt/lists/*\nUSER 1\n"),
    ("DF009", "FROM alpine:3.20\nRUN apk add curl\nUSER 1\n", [2], "FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER 1\n"),
    ("DF009", "FROM fedora:40\nRUN dnf install -y curl\nUSER 1\n", [2],
     "FROM fedora:40\nRUN dnf install -y curl && dnf clean all\nUSER 1\n"),
    ("DF009", "FROM python:3.12\nRUN pip install flask\nUSER 1\n", [2],
     "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\nUSER 1\n"),
    ("DF010", "FROM debian:12\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER 1\n", [2],
     "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 1\n"),
    ("DF011", "FROM alpine:3.20\nRUN curl -fsSL https://example.invalid/i.sh | sh\nUSER 1\n", [2],
     "FROM alpine:3.20\nRUN curl -fsSLo i.sh https://example.invalid/i.sh && sha256sum -c i.sum && sh i.sh\nUSER 1\n"),
    ("DF011", "FROM alpine:3.20\nRUN <<EOF\nwget -qO- https://example.invalid/i.sh | bash\nEOF\nUSER 1\n", [2],
     "FROM alpine:3.20\nRUN wget -q https://example.invalid/a.tgz | tar xz\nUSER 1\n"),
    ("DF011", 'FROM alpine:3.20\nRUN sh -c "$(curl -fsSL https://example.invalid/i.sh)"\nUSER 1\n', [2],
     "FROM alpine:3.20\nRUN curl --version\nUSER 1\n"),
]


@pytest.mark.parametrize("rule, bad, lines, good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_the_offending_line_and_not_on_the_clean_case(tmp_path, rule, bad, lines, good):
    assert hits(lint_dockerfile(tmp_path, bad), rule) == lines
    assert hits(lint_dockerfile(tmp_path, good), rule) == []


def test_missing_dockerignore_is_reported_on_the_dockerfile(tmp_path):
    findings = lint_dockerfile(tmp_path, "FROM alpine:3.20\nUSER 1\n", ignore=None)
    assert [(f.rule, f.file, f.line) for f in findings if f.rule.startswith("DF00")] == [
        ("DF003", str(tmp_path / "ctx" / "Dockerfile"), 1),
        ("DF007", str(tmp_path / "ctx" / "Dockerfile"), 1),
    ]
    assert hits(lint_dockerfile(tmp_path, "FROM alpine:3.20\nUSER 1\n", ignore=""), "DF007") == []


def test_dockerignore_that_lets_heavy_paths_in(tmp_path):
    context = tmp_path / "ctx"
    (context / "node_modules" / "left-pad").mkdir(parents=True)
    (context / ".git").mkdir()
    (context / "npm-debug.log").write_text("log")
    findings = lint_dockerfile(tmp_path, "FROM alpine:3.20\nUSER 1\n", ignore="# only build output\ndist/\n")
    leaks = sorted(f.message for f in findings if f.rule == "DF008")
    assert leaks == [
        ".dockerignore lets .git into the build context",
        ".dockerignore lets node_modules into the build context",
        ".dockerignore lets npm-debug.log into the build context",
    ]
    assert {f.file for f in findings if f.rule == "DF008"} == {str(context / ".dockerignore")}
    clean = lint_dockerfile(tmp_path, "FROM alpine:3.20\nUSER 1\n", ignore="/.git\nnode_modules/\n**/*.log\n")
    assert hits(clean, "DF008") == []


def test_explicit_context_is_used_for_the_dockerignore(tmp_path):
    dockerfile = tmp_path / "docker" / "Dockerfile"
    dockerfile.parent.mkdir()
    dockerfile.write_text("FROM alpine:3.20\nUSER 1\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".dockerignore").write_text(".git\n")
    assert hits(lint_files([dockerfile], [], None), "DF007") == [1]
    assert hits(lint_files([dockerfile], [], None, contexts={dockerfile: tmp_path / "app"}), "DF007") == []


@pytest.mark.parametrize("project", ["go-good", "node-good"])
def test_well_written_dockerfiles_have_no_findings(project):
    assert lint_paths([DATA / project]) == []


def test_bad_dockerfile_reports_every_problem_with_its_line():
    findings = lint_paths([DATA / "bad" / "Dockerfile"])
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("DF001", "warning", 1),
        ("DF002", "warning", 1),
        ("DF007", "warning", 1),
        ("DF004", "error", 2),
        ("DF006", "warning", 4),
        ("DF009", "warning", 5),
        ("DF010", "warning", 5),
        ("DF011", "warning", 6),
        ("DF009", "warning", 7),
    ]
    secret = next(f for f in findings if f.rule == "DF004")
    assert "hunter2" not in secret.message  # the value itself is never echoed
    # The profile's fix for the build: a BuildKit secret named after the variable.
    assert secret.hint == ("keep it out of the image: at run time pass it from a Kubernetes Secret; for the build, "
                           "name it in the profile's images[].secrets: {db_password: DB_PASSWORD} and read it with "
                           "RUN --mount=type=secret,id=db_password")
