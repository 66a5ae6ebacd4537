"""minikube's output rules: styled steps on stdout, warnings and fatal exits on stderr,
CloudEvent lines instead of both with `-o json`."""
from __future__ import annotations

import json
import os
import sys
import uuid

# style -> (emoji prefix, low-fi prefix); low-fi is what a pipe gets.
STYLES = {
    "Happy": ("😄  ", "* "), "Sparkle": ("✨  ", "* "), "ThumbsUp": ("👍  ", "* "),
    "Pulling": ("🚜  ", "* "), "StartingVM": ("🔥  ", "* "), "Restarting": ("🔄  ", "* "),
    "Running": ("🏃  ", "* "), "Docker": ("🐳  ", "* "), "SubStep": ("    ▪ ", "  - "),
    "CNI": ("🔗  ", "* "), "HealthCheck": ("🔎  ", "* "), "Option": ("    ▪ ", "  - "),
    "AddonEnable": ("🌟  ", "* "), "Ready": ("🏄  ", "* "), "Kubectl": ("💗  ", "* "),
    "DeletingHost": ("🔥  ", "* "), "Deleted": ("💀  ", "* "), "Stopping": ("✋  ", "* "),
    "Stopped": ("🛑  ", "* "), "Shrug": ("🤷  ", "* "), "Workaround": ("👉  ", "  "),
    "Meh": ("🙄  ", "! "), "Warning": ("❗  ", "! "), "Failure": ("❌  ", "X "),
    "Fatal": ("💣  ", "X "), "Tip": ("💡  ", "* "), "Documentation": ("📘  ", "* "),
    "Issues": ("🍿  ", "* "), "Notice": ("📌  ", "* "),
}
START_STEPS = ["Initial Minikube Setup", "Selecting Driver", "Downloading Artifacts", "Starting Node",
               "Updating Driver", "Pulling Base Image", "Running on Localhost", "Local OS Release",
               "Creating Container", "Creating VM", "Running Remotely", "Preparing Kubernetes",
               "Generating certificates", "Booting control plane", "Configuring RBAC rules",
               "Configuring CNI", "Configuring Localhost Environment", "Verifying Kubernetes",
               "Enabling Addons", "Done"]
STOP_STEPS = ["Stopping", "PowerOff", "Done"]
DELETE_STEPS = ["Deleting", "Stopping", "Done", "Puring home dir"]


class Exit(Exception):
    """Raised to leave with minikube's exit code once the messages are printed."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _wants_color() -> bool:
    value = os.environ.get("MINIKUBE_IN_STYLE", "")
    return value in ("1", "t", "T", "true", "TRUE", "True")


class Out:
    def __init__(self, json_mode: bool = False, steps: list[str] | None = None):
        self.json = json_mode
        self.color = _wants_color()
        self.steps = steps or START_STEPS
        self.current = ""

    def _styled(self, style: str, message: str) -> str:
        emoji, low = STYLES[style]
        return (emoji if self.color else low) + message

    def step(self, style: str, message: str, reg: str | None = None) -> None:
        if reg:
            self.current = reg
        if self.json:
            index = self.steps.index(self.current) if self.current in self.steps else ""
            self.event("step", {"currentstep": str(index), "message": message.strip(),
                                "name": self.current, "totalsteps": str(len(self.steps) - 1)})
        else:
            _write(sys.stdout, self._styled(style, message))

    def styled(self, style: str, message: str) -> None:
        """out.Styled: an info event in JSON mode, a styled stdout line otherwise."""
        if self.json:
            self.event("info", {"message": message.strip()})
        else:
            _write(sys.stdout, self._styled(style, message))

    def option(self, message: str) -> None:
        self.styled("Option", message)

    def error(self, style: str, message: str) -> None:
        """out.ErrT: an error event in JSON mode, a styled stderr line otherwise."""
        if self.json:
            self.event("error", {"message": message.strip()})
        else:
            _write(sys.stderr, self._styled(style, message))

    def warning(self, message: str, style: str = "Warning") -> None:
        if self.json:
            self.event("warning", {"message": message.strip()})
        else:
            _write(sys.stderr, self._styled(style, message))

    def fatal(self, reason: str, code: int, message: str, advice: str = "", url: str = "",
              style: str = "Failure") -> Exit:
        """exit.Message; returns the Exit for the caller to raise."""
        if self.json:
            self.event("error", {"advice": advice, "exitcode": str(code), "issues": "",
                                 "message": message.strip(), "name": reason, "url": url})
            return Exit(code)
        _write(sys.stdout, "")
        _write(sys.stderr, self._styled(style, f"Exiting due to {reason}: {message}"))
        if advice:
            _write(sys.stderr, self._styled("Tip", f"Suggestion: {advice}"))
        if url:
            _write(sys.stderr, self._styled("Documentation", f"Documentation: {url}"))
        _write(sys.stdout, "")
        return Exit(code)

    def profile_missing(self, profile: str, action: str = "start", code: int = 85) -> Exit:
        """mustload's exitTip for a profile with no config."""
        self.styled("Shrug", f'Profile "{profile}" not found. Run "minikube profile list" '
                             "to view all profiles.")
        command = f"minikube {action}" + ("" if profile == "minikube" else f" -p {profile}")
        self.styled("Workaround", f'To start a cluster, run: "{command}"')
        return Exit(code)

    def event(self, kind: str, data: dict) -> None:
        event = {"specversion": "1.0", "id": str(uuid.uuid4()),
                 "source": "https://minikube.sigs.k8s.io/", "type": f"io.k8s.sigs.minikube.{kind}",
                 "datacontenttype": "application/json", "data": dict(sorted(data.items()))}
        _write(sys.stdout, go_json(event))


def go_json(value) -> str:
    """encoding/json.Marshal: compact, non-ASCII kept, and HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _write(stream, line: str) -> None:
    stream.write(line + "\n")
    stream.flush()
