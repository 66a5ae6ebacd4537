"""The glue between the CLI and the orchestrator: build the context, run a verb, print its report."""

from __future__ import annotations

from dataclasses import dataclass

from clusterctl import redact
from clusterctl import report as reports
from clusterctl.console import Console
from clusterctl.errors import ClusterctlError


@dataclass
class Options:
    output: str = "text"  # text | json
    verbose: bool = False
    no_wait: bool = False  # refuse instead of queueing behind another run on the same cluster

    @property
    def json(self) -> bool:
        return self.output == "json"


def load_profile(profile_arg: str):
    """The profile, with every secret value it names registered for masking: what every verb starts with."""
    from clusterctl import profile as profiles
    from clusterctl.secrets import register_profile_secrets

    loaded = profiles.load(profile_arg)
    register_profile_secrets(loaded)
    return loaded


def console_for(options: Options) -> Console:
    return Console(verbose=options.verbose, quiet=options.json)


def make_context(profile_arg: str, options: Options, only_image: str | None = None, runner=None, **flags):
    from clusterctl.context import Context
    from clusterctl.kube.api import KubeAPI
    from clusterctl.runner import LocalRunner
    from clusterctl.secrets import secret_variables

    loaded = load_profile(profile_arg)
    console = console_for(options)
    if runner is None:
        # The profile's secrets reach a child only through a command that names them (stdin or its env).
        runner = LocalRunner(observer=lambda cmd: console.command(cmd.display()),
                             withhold=secret_variables(loaded))
    if only_image and only_image not in {i.name for i in loaded.images}:
        names = ", ".join(i.name for i in loaded.images) or "none"
        from clusterctl.errors import BadInput

        raise BadInput(f"profile {loaded.name!r} has no image {only_image!r}", hint=f"its images: {names}")
    return Context(loaded, runner, console, KubeAPI, only_image=only_image, **flags)


def _warm_kube_client() -> None:
    # The client costs ~0.4 s to import; the early steps mostly wait on kind and docker, so load it meanwhile.
    import kubernetes.config  # noqa: F401


def run_verb(ctx, verb: str, steps: list, options: Options) -> int:
    import threading

    from clusterctl.lock import cluster_lock
    from clusterctl.orchestrator import RunReport, run_steps

    threading.Thread(target=_warm_kube_client, daemon=True).start()
    try:
        with cluster_lock(ctx.kubeconfig, ctx.driver.context, verb, not options.no_wait, ctx.console.note):
            result = run_steps(ctx, verb, steps)
    except ClusterctlError as exc:  # the lock was refused: nothing ran
        result = RunReport(verb, ctx.profile.name, ctx.driver.context, error=exc)
    finally:
        ctx.close()
    error = result.error
    if options.json:
        ctx.console.print(redact.dumps(reports.as_json(result, ctx.workloads, ctx.notes, ctx.diagnoses), indent=2))
    else:
        # The report (with any diagnosis) first; the error and its hint close the output.
        ctx.console.print(reports.text(result, ctx.workloads, ctx.notes, ctx.diagnoses))
        if error:
            ctx.console.error(error.message, error.details, error.hint)
    return error.exit_code if error else 0


def dry_run(ctx, verb: str, steps: list, options: Options) -> int:
    from clusterctl.orchestrator import plan_steps
    from clusterctl.steps.preflight import missing_tools

    plan = plan_steps(ctx, steps)
    missing = [tool for tool, _ in missing_tools(ctx, needs_docker=True)]
    if options.json:
        doc = {"schema": reports.SCHEMA, "verb": verb, "profile": ctx.profile.name, "dryRun": True,
               "steps": [{"title": t, "commands": c} for t, c in plan], "missingTools": missing}
        ctx.console.print(redact.dumps(doc, indent=2))
        return 0
    ctx.console.print(f"Plan for `clusterctl {verb} {ctx.profile.name}` (context {ctx.driver.context}); nothing is run:")
    for number, (title, commands) in enumerate(plan, 1):
        ctx.console.print(f"{number}. {title}")
        for command in commands:
            ctx.console.print(f"     {command}")
    if missing:
        ctx.console.print(f"missing on this machine: {', '.join(missing)} (a real run stops at preflight)")
    return 0
