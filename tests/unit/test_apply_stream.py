"""The apply stream is what kubectl's decoder reads: a JSON stream, one value after another."""

import json

from clusterctl.steps.apply import as_stream


def json_values(text: str) -> list[dict]:
    """Decode as Go's json.Decoder does (kubectl picks it when the stream starts with `{`)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


def test_several_objects_decode_as_a_json_stream():
    objects = [{"kind": "Deployment", "metadata": {"name": "web"}}, {"kind": "Service", "metadata": {"name": "web"}}]
    assert json_values(as_stream(objects)) == objects
