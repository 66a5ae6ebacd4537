"""The `shipping` section: load images into the nodes, or push them to a registry with credentials from the env."""

from __future__ import annotations

from clusterctl.profile import rules
from clusterctl.profile.check import Section
from clusterctl.profile.model import RegistryAuth, Shipping

KEYS = ("mode", "registry", "auth", "pullSecret")
AUTH_KEYS = ("username", "passwordEnv", "pullUsername", "pullPasswordEnv")
MODES = ("load", "push")


def read_shipping(root: Section) -> Shipping:
    section = root.section("shipping", KEYS)
    if section is None:
        return Shipping()
    mode = section.text("mode", "load", choices=MODES)
    registry = section.text("registry", rule=rules.registry)
    if mode == "push" and not section.has("registry"):
        section.report("registry", "required with mode: push (the registry the images are pushed to)")
    if section.has("auth") and mode != "push":
        section.report("auth", "only used with mode: push")
    if section.has("pullSecret") and not section.has("auth"):
        section.report("pullSecret", "needs shipping.auth: the pull secret is made from those credentials")
    auth = _auth(section.section("auth", AUTH_KEYS))
    if auth and auth.pull_password_env and not section.has("pullSecret"):
        section.checker.report(f"{section.at('auth')}.pullPasswordEnv",
                               "only used with shipping.pullSecret: the image pull Secret is made from it")
    return Shipping(mode=mode, registry=registry, auth=auth,
                    pull_secret=section.text("pullSecret", rule=rules.dns_subdomain))


def _auth(section: Section | None) -> RegistryAuth | None:
    if section is None:
        return None
    username = section.text("username", required=True)
    password_env = section.text("passwordEnv", required=True, rule=rules.env_name)
    pull_username = section.text("pullUsername")
    pull_password_env = section.text("pullPasswordEnv", rule=rules.env_name)
    if pull_username and not section.has("pullPasswordEnv"):
        section.report("pullUsername", "needs pullPasswordEnv: the variable that holds this user's read-only token")
    if pull_password_env and pull_password_env == password_env:
        section.report("pullPasswordEnv", "names the same variable as passwordEnv: give the read-only pull token "
                                          "its own variable")
        pull_password_env = None
    if not (username and password_env):
        return None
    return RegistryAuth(username, password_env, pull_username, pull_password_env)
