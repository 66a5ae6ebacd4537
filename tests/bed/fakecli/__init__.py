"""Stand-in `kind` and `minikube` CLIs for the bed (see tests/bed/README.md).

They keep the real tools' argv, stdout/stderr split, messages and exit codes
(shared/reference/cli-contract.md) but run a `tests.bed.controlplane` process
instead of node containers. Docker is still called for real where the real tools
call it, so a dead daemon fails the same way.
"""
