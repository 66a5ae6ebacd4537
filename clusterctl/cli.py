"""The command line: parse, load the profile, call the orchestrator. Nothing heavy is imported here."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from clusterctl import __version__
from clusterctl.app import Options

app = typer.Typer(
    name="clusterctl",
    help="Bring a local Kubernetes cluster up and down from one profile, and keep an app running on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ProfileArg = Annotated[str, typer.Argument(help="A name under profiles/ or a path to a profile YAML file.")]
OptionalProfile = Annotated[Optional[str], typer.Argument(help="Profile name or path (default: dev).")]
Output = Annotated[str, typer.Option("--output", "-o", help="text or json (json: nothing but JSON on stdout).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Show every command run and the tools' output.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the ordered plan and the exact commands; run nothing.")]
NoWait = Annotated[bool, typer.Option("--no-wait", help="Refuse instead of waiting when another run holds the cluster.")]
Adopt = Annotated[bool, typer.Option("--adopt", help="Stamp an existing cluster clusterctl did not create as this "
                                                    "profile's, after checking it is the one you mean.")]

DEFAULT_PROFILE = "dev"


def _options(output: str, verbose: bool, no_wait: bool = False) -> Options:
    if output not in ("text", "json"):
        raise typer.BadParameter("must be text or json", param_hint="--output")
    return Options(output=output, verbose=verbose, no_wait=no_wait)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clusterctl {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """Exit codes: 0 ok, 1 unexpected, 2 bad input, 3 missing tool or daemon, 4 build failed, 5 ship failed,
    6 apply rejected, 7 workloads failed, 8 timeout, 9 cluster create/delete failed, 10 API server unreachable,
    11 wrong cluster (identity guard), 12 busy (--no-wait), 130 interrupted."""


def _run(profile: str, verb: str, steps_fn, options: Options, dry_run: bool, **flags) -> None:
    from clusterctl.app import dry_run as plan_only, make_context, run_verb

    ctx = make_context(profile, options, **flags)
    code = plan_only(ctx, verb, steps_fn(), options) if dry_run else run_verb(ctx, verb, steps_fn(), options)
    raise typer.Exit(code)


Strict = Annotated[bool, typer.Option("--strict", help="Treat lint warnings as errors.")]


@app.command()
def up(profile: ProfileArg = DEFAULT_PROFILE, dry_run: DryRun = False, strict: Strict = False, adopt: Adopt = False,
       no_wait: NoWait = False, output: Output = "text", verbose: Verbose = False) -> None:
    """Create the cluster if needed, build and ship the images, apply the manifests, wait until ready."""
    from clusterctl import plans

    _run(profile, "up", lambda: plans.up(strict), _options(output, verbose, no_wait), dry_run, adopt=adopt)


@app.command()
def down(profile: OptionalProfile = None, keep_cluster: Annotated[bool, typer.Option(
        "--keep-cluster", help="Delete only what the profile applied; keep the cluster.")] = False,
        force: Annotated[bool, typer.Option("--force", help="Delete even a cluster clusterctl did not create.")] = False,
        dry_run: DryRun = False, no_wait: NoWait = False, output: Output = "text", verbose: Verbose = False) -> None:
    """Delete the profile's cluster (absent already is success); only one clusterctl created, unless --force."""
    from clusterctl import plans

    _run(profile or DEFAULT_PROFILE, "down", lambda: plans.down(keep_cluster), _options(output, verbose, no_wait),
         dry_run, force=force)


@app.command()
def redeploy(service: Annotated[str, typer.Argument(help="The image name in the profile, e.g. bff.")],
             profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or path.")] = DEFAULT_PROFILE,
             dry_run: DryRun = False, adopt: Adopt = False, no_wait: NoWait = False, output: Output = "text",
             verbose: Verbose = False) -> None:
    """Rebuild one image, roll out only the workloads that use it, and wait for them."""
    from clusterctl import plans

    _run(profile, "redeploy", plans.redeploy, _options(output, verbose, no_wait), dry_run, only_image=service,
         adopt=adopt)


@app.command()
def status(profile: OptionalProfile = None, watch: Annotated[bool, typer.Option(
        "--watch", "-w", help="Keep the table up to date from the API's watches until Ctrl-C.")] = False,
        output: Output = "text", verbose: Verbose = False) -> None:
    """Show the cluster and each workload's readiness."""
    from clusterctl.status import show_status

    raise typer.Exit(show_status(profile or DEFAULT_PROFILE, _options(output, verbose), watch=watch))


@app.command()
def validate(profile: ProfileArg, output: Output = "text", verbose: Verbose = False) -> None:
    """Check a profile and everything it references, without running anything."""
    from clusterctl.validate import validate_profile

    raise typer.Exit(validate_profile(profile, _options(output, verbose)))


@app.command()
def lint(targets: Annotated[Optional[list[str]], typer.Argument(
        help="A profile, or Dockerfiles, manifests and directories.")] = None,
         strict: Strict = False, output: Output = "text", verbose: Verbose = False) -> None:
    """Check Dockerfiles and manifests against the practices in docs/lint.md, before anything is built."""
    from clusterctl.lintcmd import run_lint

    raise typer.Exit(run_lint(targets or [DEFAULT_PROFILE], _options(output, verbose), strict))


@app.command()
def logs(service: Annotated[str, typer.Argument(help="An image name of the profile (e.g. bff) or a workload "
                                                     "kind/name (e.g. deployment/bff).")],
         profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or path.")] = DEFAULT_PROFILE,
         follow: Annotated[bool, typer.Option("--follow", "-f", help="Stream new lines until Ctrl-C.")] = False,
         tail: Annotated[Optional[int], typer.Option("--tail", help="Only the last N lines of each container.")] = None,
         previous: Annotated[bool, typer.Option("--previous", help="The previous (crashed) instance's logs.")] = False,
         verbose: Verbose = False) -> None:
    """Print the logs of the pods behind an image of the profile or a workload, prefixed when there are several."""
    from clusterctl.app import make_context
    from clusterctl.logs import LogOptions, show_logs

    ctx = make_context(profile, _options("text", verbose))
    raise typer.Exit(show_logs(ctx, service, LogOptions(follow, tail, previous)))


@app.command()
def urls(profile: OptionalProfile = None, output: Output = "text", verbose: Verbose = False) -> None:
    """How to reach each NodePort or LoadBalancer Service of the profile from this machine."""
    from clusterctl.app import make_context
    from clusterctl.urls import show_urls

    options = _options(output, verbose)
    raise typer.Exit(show_urls(make_context(profile or DEFAULT_PROFILE, options), options.json))
