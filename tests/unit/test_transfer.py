"""Reading long transfers from the tools' own output: docker push layer lines and load commands."""

from clusterctl.transfer import PushProgress, load_target

# `docker push` without a terminal (what the runner sees): one line per layer state, no byte counters.
PUSH = """The push refers to repository [127.0.0.1:5555/shop/web]
2265ce5268a3: Preparing
ad4e4c8acc9a: Preparing
9f0e1d2c3b4a: Preparing
ad4e4c8acc9a: Waiting
2265ce5268a3: Mounted from shop/base
ad4e4c8acc9a: Pushing
ad4e4c8acc9a: Pushed
9f0e1d2c3b4a: Layer already exists
1: digest: sha256:d3dac741ef4f1ce65e8e2bbe313174e3b29336bddc2ba1707e820b2a21a57ad6 size: 736
""".splitlines()


def test_push_progress_counts_layers_done_out_of_seen():
    progress = PushProgress()
    for line in PUSH[:5]:
        assert progress.feed(line)
    assert (progress.done, progress.total, progress.finished) == (0, 3, False)
    for line in PUSH[5:]:
        assert progress.feed(line)
    assert (progress.done, progress.total, progress.finished) == (3, 3, True)
    assert progress.digest.startswith("sha256:d3dac7")


def test_other_lines_are_not_push_output():
    assert not PushProgress().feed("Step 1/3 : FROM scratch")
    assert not PushProgress().feed("denied: requested access to the resource is denied")


def test_load_commands_name_what_they_load():
    assert load_target("kind load docker-image --name dev ghcr.io/o/bff:1 ghcr.io/o/web:2") == "ghcr.io/o/bff:1 ghcr.io/o/web:2"
    assert load_target("minikube image load ghcr.io/o/bff:1 -p shop") == "ghcr.io/o/bff:1"
    assert load_target("/usr/local/bin/kind load docker-image bff:1 --name dev") == "bff:1"
    assert load_target("kind get clusters") is None
    assert load_target("docker push ghcr.io/o/bff:1") is None
