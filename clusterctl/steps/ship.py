"""Ship the images: load them into the cluster's nodes, or push them to the registry.

The nodes' runtime (asked through the driver, by image ID) or the registry is the source of truth, so
the build cache survives restarts and a recreated cluster.
"""

from __future__ import annotations

import os

from clusterctl.errors import ShipFailed
from clusterctl.parallel import run_bounded
from clusterctl.runner import Command
from clusterctl.secrets import registry_password
from clusterctl.steps.base import Check, Unchanged


class ShipImages:
    name = "ship"
    phase = "ship"

    def _push(self, ctx) -> bool:
        return ctx.profile.shipping.mode == "push"

    def title(self, ctx) -> str:
        target = ctx.profile.shipping.registry if self._push(ctx) else f"the {ctx.profile.cluster.driver} nodes"
        return f"{'Push' if self._push(ctx) else 'Load'} images to {target}"

    def plan(self, ctx) -> list[Command]:
        refs = [ctx.ref(i) for i in ctx.images]
        if self._push(ctx):
            auth = ctx.profile.shipping.auth
            placeholder = f"<${auth.password_env}>" if auth else ""
            login = [ctx.docker.login_command(self._host(ctx), auth.username, placeholder)] if auth else []
            return login + [ctx.docker.push_command(r) for r in refs]
        return ctx.driver.load_commands(refs) if refs else []

    def _host(self, ctx) -> str:
        return (ctx.profile.shipping.registry or "").split("/")[0]

    def _missing(self, ctx) -> list[str]:
        refs = [ctx.ref(i) for i in ctx.images]
        if self._push(ctx):
            from concurrent.futures import ThreadPoolExecutor

            # One registry round trip per image: ask for all of them at once.
            with ThreadPoolExecutor(max_workers=min(8, len(refs))) as pool:
                present = list(pool.map(ctx.docker.manifest_exists, refs))
            return [r for r, there in zip(refs, present) if not there]
        return ctx.driver.unloaded(refs)

    def check(self, ctx) -> Check:
        if ctx.images and self._push(ctx):
            self._private_config(ctx)
        self.todo = self._missing(ctx) if ctx.images else []
        return Check(not self.todo, "already there" if ctx.images else "no images")

    def run(self, ctx) -> str:
        missing = self.todo
        if self._push(ctx):
            self._login(ctx)
            run_bounded(missing, lambda r: ctx.docker.push(r, ctx.console.tool_output(r)),
                        ctx.profile.build.parallelism, lambda r: r, ShipFailed)
            return ", ".join(missing)
        loaded = ctx.driver.load(missing, ctx.profile.build.parallelism)
        return ", ".join(loaded) if loaded else Unchanged("already on every node")

    def _credentials(self, ctx):
        auth = ctx.profile.shipping.auth
        password = registry_password(ctx.profile, os.environ)
        return (auth, password) if auth and password else None

    def _private_config(self, ctx) -> None:
        """The token goes into a docker config of clusterctl's own, for the registry calls only, before the
        registry is asked what it holds; without credentials the user's own login (if any) is used."""
        if creds := self._credentials(ctx):
            ctx.docker.registry_env = ctx.registry_config.open(self._host(ctx), creds[0].username, creds[1])

    def _login(self, ctx) -> None:
        # Checks the token early, with a clear error; it is written only to the private config.
        if creds := self._credentials(ctx):
            auth, password = creds
            ctx.docker.login(self._host(ctx), auth.username, password, auth.password_env)
