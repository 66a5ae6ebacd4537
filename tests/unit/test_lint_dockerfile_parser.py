"""The Dockerfile parser: the structure and line numbers the lint rules rely on."""

from __future__ import annotations

from clusterctl.lint.dockerfile import key_values, parse, substitute


def keywords(df):
    return [(i.keyword, i.line) for i in df.instructions]


def test_continuations_join_and_skip_comment_and_blank_lines():
    df = parse(
        "FROM alpine:3.20\n"
        "RUN apk add \\\n"
        "    # a comment inside the continuation\n"
        "    curl \\\n"
        "\n"
        "    git\n"
        "USER app\n"
    )
    assert keywords(df) == [("FROM", 1), ("RUN", 2), ("USER", 7)]
    assert df.instructions[1].args.split() == ["apk", "add", "curl", "git"]


def test_escape_directive_changes_the_continuation_character():
    df = parse("# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir C:\\ `\n    /s\n")
    assert df.directives == {"escape": "`"}
    assert keywords(df) == [("FROM", 2), ("RUN", 3)]
    assert df.instructions[1].args.split() == ["dir", "C:\\", "/s"]


def test_directives_stop_at_the_first_comment():
    df = parse("# syntax=docker/dockerfile:1\n# a comment\n# escape=`\nFROM alpine:3.20\n")
    assert df.directives == {"syntax": "docker/dockerfile:1"}


def test_heredocs_are_read_as_part_of_their_instruction():
    df = parse(
        "FROM debian:12\n"
        "RUN <<EOF\n"
        "apt-get update\n"
        "FROM not-an-instruction\n"
        "EOF\n"
        "COPY <<-\"CONF\" /etc/app.conf\n"
        "\tkey=value\n"
        "\tCONF\n"
        "USER 1000\n"
    )
    assert keywords(df) == [("FROM", 1), ("RUN", 2), ("COPY", 6), ("USER", 9)]
    assert df.instructions[1].heredocs == ("apt-get update\nFROM not-an-instruction",)
    assert df.instructions[2].heredocs == ("key=value",)
    assert "apt-get update" in df.instructions[1].script()


def test_stages_names_parents_and_platform():
    df = parse(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n"
        "RUN go build -o /app .\n"
        "FROM build AS test\n"
        "FROM gcr.io/distroless/static:nonroot\n"
        "COPY --from=build /app /app\n"
    )
    build, test, final = df.stages
    assert (build.name, build.platform, build.base, build.line) == ("build", "$BUILDPLATFORM", "golang:1.22", 1)
    assert test.parent is build and test.base == "build"
    assert final.parent is None and df.final is final
    assert final.instructions[0].flags == {"from": "build"}
    assert final.instructions[0].args == "/app /app"


def test_global_args_are_substituted_into_from():
    df = parse(
        "ARG GO=1.22\n"
        "ARG REGISTRY\n"
        "FROM golang:${GO}-alpine AS a\n"
        "FROM $REGISTRY/app:1 AS b\n"
        "FROM ${REGISTRY:-docker.io}/library/alpine:3.20 AS c\n"
    )
    assert [s.base for s in df.stages] == ["golang:1.22-alpine", None, "docker.io/library/alpine:3.20"]
    assert df.stages[1].base_text == "$REGISTRY/app:1"


def test_substitute_handles_alternative_values():
    assert substitute("${A:+set}${B:+set}", {"A": "x", "B": None}) == "set"
    assert substitute("$A", {}) is None


def test_syntax_errors_carry_lines():
    df = parse("RUN echo before\nFROM alpine:3.20\nFROBNICATE x\n")
    assert df.errors == [(1, "RUN before the first FROM"), (3, "unknown instruction 'FROBNICATE'")]
    assert parse("# only a comment\n").errors == [(1, "no FROM instruction")]


def test_exec_form_and_script():
    df = parse('FROM alpine:3.20\nCMD ["sh", "-c", "echo hi"]\nRUN echo "[not json"\n')
    assert df.instructions[1].exec_form() == ["sh", "-c", "echo hi"]
    assert df.instructions[2].exec_form() is None
    assert df.instructions[1].script() == "sh -c echo hi"


def test_key_values_in_both_env_forms():
    assert key_values('A=1 B="two words" C') == [("A", "1"), ("B", "two words"), ("C", None)]
    assert key_values("DB_PASSWORD hunter two") == [("DB_PASSWORD", "hunter two")]
    assert key_values("TOKEN") == [("TOKEN", None)]
