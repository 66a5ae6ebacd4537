"""What a long transfer is doing, read from the tools' own output: `docker push` layer lines, and which
commands load images into the nodes (they print nothing while they work)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

# Without a terminal, docker prints one line per layer state change and drops the byte counters.
_LAYER = re.compile(r"^([0-9a-f]{12}): (Preparing|Waiting|Pushing|Pushed|Layer already exists|Mounted from \S+|"
                    r"Retrying in \d+ seconds?)")
_DIGEST = re.compile(r"^\S+: digest: (sha256:[0-9a-f]{64}) size: \d+")
_DONE = ("Pushed", "Layer already exists", "Mounted from")


@dataclass
class PushProgress:
    layers: dict[str, str] = field(default_factory=dict)  # layer id -> its last state
    digest: str | None = None

    def feed(self, line: str) -> bool:
        """Take one line of `docker push` output; False when it is not push output."""
        if line.startswith("The push refers to repository"):
            return True
        if match := _LAYER.match(line):
            self.layers[match.group(1)] = match.group(2)
            return True
        if match := _DIGEST.match(line):
            self.digest = match.group(1)
            return True
        return False

    @property
    def total(self) -> int:
        return len(self.layers)

    @property
    def done(self) -> int:
        return sum(1 for state in self.layers.values() if state.startswith(_DONE))

    @property
    def finished(self) -> bool:
        return self.digest is not None


def load_target(shown: str) -> str | None:
    """For `kind load docker-image ... REF` or `minikube image load REF ...`, what it loads; else None."""
    try:
        argv = shlex.split(shown)
    except ValueError:
        return None
    if not argv:
        return None
    tool, args = Path(argv[0]).name, argv[1:]
    if tool == "kind" and args[:2] == ["load", "docker-image"]:
        refs = [a for i, a in enumerate(args[2:], 2) if not a.startswith("-") and args[i - 1] != "--name"]
        return " ".join(refs)
    if tool == "minikube" and args[:2] == ["image", "load"] and len(args) > 2:
        return args[2]
    return None
