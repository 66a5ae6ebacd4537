"""Every way a profile can be wrong, each with the exact file, line, key path and message the user sees."""

import time
from pathlib import Path

import pytest

from clusterctl import profile
from clusterctl.errors import BadInput, InvalidInput

DATA = Path(__file__).parent / "data" / "profiles"
BAD = DATA / "bad"
LABEL_50 = ("must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or "
            "digit, at most 50 characters (regex [a-z0-9]([-a-z0-9]*[a-z0-9])?)")
LABEL_63 = LABEL_50.replace("at most 50", "at most 63")


def problems_of(case: str, env: dict | None = None) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        profile.load(str(BAD / f"{case}.yaml"), env=env or {})
    return [(p.file, p.line, p.path, p.message.replace(str(DATA), "{data}")) for p in caught.value.problems]


# (case, file when not the case's own, line, key path, message)
CASES = [
    ('auth-with-load', None, 9, 'shipping.auth',
     'only used with mode: push'),
    ('bad-duration', None, 8, 'wait.timeout',
     'invalid duration "5 minutes": expected a number of seconds or a duration like 90s, 5m, 1h30m'),
    ('bad-env-var-name', None, 10, 'secrets[0].fromEnv.url',
     'invalid environment variable name "DB URL": letters, digits and _, not starting with a digit'),
    ('bad-kubernetes-version', None, 6, 'cluster.kubernetesVersion',
     'invalid Kubernetes version "1.32.0": expected vMAJOR.MINOR.PATCH like v1.32.0 (did you mean "v1.32.0"?)'),
    ('bad-listen-address', None, 8, 'cluster.kind.extraPortMappings[0].listenAddress',
     'invalid listen address "localhost": expected an IP address like 127.0.0.1'),
    ('bad-memory', None, 7, 'cluster.minikube.memory',
     'invalid memory "lots": expected MiB as a number, or a size like 4096mb or 4g'),
    ('bad-platform', None, 10, 'images[0].platform',
     'invalid platform "amd64": expected os/arch[/variant] like linux/amd64'),
    ('bad-port', None, 9, 'cluster.kind.extraPortMappings[0].hostPort',
     'must be between 1 and 65535, got 70000'),
    ('bad-protocol', None, 8, 'cluster.kind.extraPortMappings[0].protocol',
     'expected one of TCP, UDP, SCTP; got "HTTP"'),
    ('bad-workload', None, 8, 'wait.workloads[1]',
     'invalid workload "bff": expected <kind>/<name> with kind one of deployment, statefulset, daemonset, job'),
    ('buildarg-from-secret-variable', None, 11, 'images[0].buildArgs.NPM_RC',
     'a secret build arg stays in the image history and on the docker command line; move it to images[0].secrets: {npm_token: NPM_TOKEN} and read it with RUN --mount=type=secret,id=npm_token'),
    ('buildarg-secret-reference', None, 11, 'images[0].buildArgs.GITHUB_PAT',
     'a secret build arg stays in the image history and on the docker command line; move it to images[0].secrets: {github_pat: GITHUB_PAT} and read it with RUN --mount=type=secret,id=github_pat'),
    ('build-secret-bad-env-name', None, 11, 'images[0].secrets.npm_token',
     'invalid environment variable name "NPM TOKEN": letters, digits and _, not starting with a digit'),
    ('build-secret-bad-id', None, 11, 'images[0].secrets["id=npm,x"]',
     'invalid build secret id "id=npm,x": letters, digits, "-", "_" and "." only'),
    ('build-secrets-not-mapping', None, 10, 'images[0].secrets',
     'expected a mapping, got a list'),
    ('buildarg-number', None, 11, 'images[0].buildArgs.GO_VERSION',
     'expected a string, got 1.22; quote it if you mean the text: "1.22"'),
    ('cluster-name-invalid', None, 4, 'cluster.name',
     'invalid name "My_Cluster": ' + LABEL_50),
    ('cluster-name-too-long', None, 4, 'cluster.name',
     'invalid name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": ' + LABEL_50),
    ('cluster-not-mapping', None, 3, 'cluster',
     'expected a mapping, got "dev"'),
    ('config-with-workers', None, 8, 'cluster.kind.config',
     'cannot be used with workers: the kind config file already describes the nodes'),
    ('context-is-file', None, 9, 'images[0].context',
     'expected a directory, found a file: {data}/app/Dockerfile'),
    ('context-not-found', None, 9, 'images[0].context',
     'directory not found: {data}/app/nope'),
    ('control-planes-zero', None, 7, 'cluster.kind.controlPlanes',
     'must be at least 1, got 0'),
    ('cycle-a', 'cycle-b.yaml', 7, 'extends',
     'extends forms a cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml'),
    ('cycle3-a', 'cycle3-c.yaml', 7, 'extends',
     'extends forms a cycle: cycle3-a.yaml -> cycle3-b.yaml -> cycle3-c.yaml -> cycle3-a.yaml'),
    ('dockerfile-default-not-found', None, 8, 'images[0].dockerfile',
     'Dockerfile not found: {data}/app/src/Dockerfile'),
    ('dockerfile-is-dir', None, 10, 'images[0].dockerfile',
     'expected a file, found a directory: {data}/app/src'),
    ('dockerfile-not-found', None, 10, 'images[0].dockerfile',
     'Dockerfile not found: {data}/app/Dockerfile.prod'),
    ('driver-typo', None, 5, 'cluster.driver',
     'expected one of kind, minikube; got "kinde" (did you mean "kind"?)'),
    ('duplicate-image', None, 10, 'images[1].name',
     'duplicate image name "bff" (first at images[0])'),
    ('duplicate-key', None, 6, 'cluster.name',
     'duplicate key "name" (first at line 4)'),
    ('duplicate-secret', None, 10, 'secrets[1].name',
     'duplicate Secret name "db" (first at secrets[0])'),
    ('empty', None, None, '',
     'the file is empty; expected one YAML document'),
    ('env-file-in-context', None, 12, 'secrets[0].envFile',
     "{data}/app/secrets.env is in the build context of image 'bff' and is sent to the builder, where COPY can "
     "put it in the image; add secrets.env to {data}/app/.dockerignore, or move the file out of the context"),
    ('env-file-not-found', None, 9, 'secrets[0].envFile',
     'file not found: {data}/app/.env.local'),
    ('extends-base-wrong-kind', 'wrong-kind.yaml', 2, 'kind',
     'expected "Profile", got "Profil"'),
    ('extends-broken-base', 'broken-base.yaml', 4, '',
     'unclosed "[": no matching "]" (or a missing ",") before the end of the file'),
    ('extends-missing-path', None, 7, 'extends',
     'cannot read the extended profile: file not found: {data}/shared/nowhere.yaml'),
    ('extends-not-string', None, 7, 'extends',
     'expected a profile name or a path, got a list'),
    ('extends-self', None, 7, 'extends',
     'extends forms a cycle: extends-self.yaml -> extends-self.yaml'),
    ('extra-arg-without-dashes', None, 7, 'cluster.minikube.extraArgs[1]',
     'invalid flag "addons=ingress": each extra argument starts with --'),
    ('image-name-invalid', None, 8, 'images[0].name',
     'invalid name "Web.App": ' + LABEL_63),
    ('images-not-list', None, 7, 'images',
     'expected a list, got a mapping'),
    ('kind-config-is-dir', None, 7, 'cluster.kind.config',
     'expected a file, found a directory: {data}/app'),
    ('kind-keys-with-minikube', None, 6, 'cluster.kind',
     'only for driver: kind (this cluster uses driver: minikube)'),
    ('list-document', None, 1, '',
     'expected a mapping (a Profile), got a list'),
    ('literal-api-key', None, 11, 'secrets[0].apiKey',
     'literal secret value; put it in the environment and name the variable under fromEnv, e.g. fromEnv: {password: DB_PASSWORD}'),
    ('literal-buildarg-token', None, 11, 'images[0].buildArgs.NPM_TOKEN',
     'a secret build arg stays in the image history and on the docker command line; move it to images[0].secrets: {npm_token: NPM_TOKEN} and read it with RUN --mount=type=secret,id=npm_token'),
    ('literal-default-build-arg', None, 11, 'images[0].buildArgs.API_KEY',
     'a secret build arg stays in the image history and on the docker command line; move it to images[0].secrets: {api_key: STRIPE_KEY} and read it with RUN --mount=type=secret,id=api_key'),
    ('literal-default-password', None, 13, 'shipping.auth.password',
     'literal secret value in the default of ${REGISTRY_PASSWORD}; put it in the environment and name it: '
     'passwordEnv: GHCR_TOKEN'),
    ('literal-github-pat', None, 11, 'secrets[0].GITHUB_PAT',
     'literal secret value; put it in the environment and name the variable under fromEnv, e.g. fromEnv: {password: DB_PASSWORD}'),
    ('literal-password', None, 13, 'shipping.auth.password',
     'literal secret value; put it in the environment and name it: passwordEnv: GHCR_TOKEN'),
    ('manifest-dir-without-manifests', None, 8, 'manifests[0]',
     'directory has no .yaml, .yml or .json files and no kustomization: {data}/app/docs'),
    ('manifest-not-found', None, 9, 'manifests[1]',
     'manifest file not found: {data}/app/missing.yaml'),
    ('minikube-keys-with-kind', None, 6, 'cluster.minikube',
     'only for driver: minikube (this cluster uses driver: kind)'),
    ('missing-api-version', None, 1, 'apiVersion',
     'required key is missing; expected "clusterctl.dev/v1alpha1"'),
    ('missing-cluster-name', None, 3, 'cluster.name',
     'required key is missing'),
    ('missing-cluster', None, 1, 'cluster',
     'required key is missing'),
    ('missing-context', None, 8, 'images[0].context',
     'required key is missing'),
    ('namespace-invalid', None, 6, 'namespace',
     'invalid name "Shop": ' + LABEL_63),
    ('namespace-not-string', None, 6, 'namespace',
     'expected a string, got 42; quote it if you mean the text: "42"'),
    ('node-image-and-version', None, 7, 'cluster.nodeImage',
     'cannot be used with kubernetesVersion: the node image already fixes the Kubernetes version'),
    ('non-string-key', None, 8, 'wait',
     'key on is read as a boolean, not a string; quote it: "on"'),
    ('parallelism-zero', None, 8, 'build.parallelism',
     'must be at least 1, got 0'),
    ('port-missing-host', None, 8, 'cluster.kind.extraPortMappings[0].hostPort',
     'required key is missing'),
    ('port-reused', None, 9, 'cluster.kind.extraPortMappings[1].hostPort',
     'host port 8080 is already mapped by extraPortMappings[0]'),
    ('pull-secret-without-auth', None, 10, 'shipping.pullSecret',
     'needs shipping.auth: the pull secret is made from those credentials'),
    ('pull-username-without-pull-password-env', None, 13, 'shipping.auth.pullUsername',
     "needs pullPasswordEnv: the variable that holds this user's read-only token"),
    ('pull-password-env-same-as-push', None, 13, 'shipping.auth.pullPasswordEnv',
     'names the same variable as passwordEnv: give the read-only pull token its own variable'),
    ('pull-password-env-without-pull-secret', None, 13, 'shipping.auth.pullPasswordEnv',
     'only used with shipping.pullSecret: the image pull Secret is made from it'),
    ('bad-pull-password-env-name', None, 13, 'shipping.auth.pullPasswordEnv',
     'invalid environment variable name "ghcr pull token": letters, digits and _, not starting with a digit'),
    ('push-without-registry', None, 7, 'shipping.registry',
     'required with mode: push (the registry the images are pushed to)'),
    ('registry-with-scheme', None, 9, 'shipping.registry',
     'invalid registry "https://ghcr.io/tigaweb": drop the scheme, e.g. ghcr.io/tigaweb'),
    ('repository-with-tag', None, 10, 'images[0].repository',
     'invalid repository "ghcr.io/tigaweb/bff:v1": leave out the tag; clusterctl tags each build itself'),
    ('restart-tolerance-negative', None, 8, 'wait.restartTolerance',
     'must be at least 0, got -1'),
    ('secret-without-from-env', None, 8, 'secrets[0].fromEnv',
     'required key is missing: map each Secret key to an environment variable NAME'),
    ('tab', None, 8, '',
     'a tab character is not allowed here; indent YAML with spaces'),
    ('two-documents', None, 8, '',
     'expected one YAML document, found 2 (the second starts here)'),
    ('unclosed-bracket', None, 7, '',
     'unclosed "[": no matching "]" (or a missing ",") before line 9'),
    ('unclosed-variable', None, 6, 'namespace',
     'unclosed "${" in "${APP_NAMESPACE"'),
    ('unknown-key-no-suggestion', None, 7, 'colour',
     'unknown key "colour"'),
    ('unknown-nested-key', None, 7, 'cluster.kind.wrokers',
     'unknown key "wrokers" (did you mean "workers"?)'),
    ('unknown-top-key', None, 7, 'imagse',
     'unknown key "imagse" (did you mean "images"?)'),
    ('unset-variable', None, 6, 'namespace',
     'environment variable APP_NAMESPACE not set; export it or give a default: ${APP_NAMESPACE:-value}'),
    ('workers-bool', None, 7, 'cluster.kind.workers',
     'expected an integer, got true'),
    ('workers-not-int', None, 7, 'cluster.kind.workers',
     'expected an integer, got "two"'),
    ('workloads-not-list', None, 8, 'wait.workloads',
     'expected "all" or a list like [deployment/bff, statefulset/db]'),
    ('wrong-api-version', None, 1, 'apiVersion',
     'expected "clusterctl.dev/v1alpha1", got "clusterctl.dev/v1"'),
    ('wrong-kind', None, 2, 'kind',
     'expected "Profile", got "Profil"'),
]


@pytest.mark.parametrize(("case", "file", "line", "path", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_profile_reports_file_line_path_and_message(case, file, line, path, message):
    expected_file = str(BAD / (file or f"{case}.yaml"))
    assert problems_of(case) == [(expected_file, line, path, message)]


def test_at_least_45_distinct_bad_inputs_are_covered():
    assert len({c[0] for c in CASES}) >= 45


def test_several_problems_are_reported_together_in_one_pass():
    file = str(BAD / "several-problems.yaml")
    assert problems_of("several-problems") == [
        (file, 7, "cluster.kind.workers", 'expected an integer, got "two"'),
        (file, 8, "namespace", 'invalid name "Shop": ' + LABEL_63),
        (file, 9, "imagse", 'unknown key "imagse" (did you mean "images"?)'),
        (file, 12, "images[0].context", "directory not found: {data}/app/nope"),
        (file, 14, "wait.timeout", 'invalid duration "soon": expected a number of seconds or a duration like 90s, 5m, 1h30m'),
    ]


def test_the_first_problem_leads_the_message_and_every_problem_is_in_the_details():
    with pytest.raises(InvalidInput) as caught:
        profile.load(str(BAD / "several-problems.yaml"), env={})
    error = caught.value
    assert error.exit_code == 2
    assert error.message.endswith('cluster.kind.workers: expected an integer, got "two" (and 4 more problems)')
    assert len(error.details) == 5 and "docs/profile.md" in error.hint


def test_a_literal_secret_deep_in_an_unknown_key_is_found():
    file = str(BAD / "literal-nested-token.yaml")
    assert problems_of("literal-nested-token") == [
        (file, 8, "wait.hooks", 'unknown key "hooks"'),
        (file, 10, "wait.hooks.slack.token", "literal secret value; put it in the environment and reference it as ${NAME}"),
    ]


def test_extends_of_an_unknown_profile_name_lists_the_available_ones():
    [(file, line, path, message)] = problems_of("extends-unknown-name")
    assert (file, line, path) == (str(BAD / "extends-unknown-name.yaml"), 7, "extends")
    assert message.startswith('no profile named "nosuch"; available: base, dev, minikube, push, uses-shared')
    assert "{data}/bad/profiles, {data}/profiles" in message


def test_a_broken_base_is_reported_in_the_base_file():
    assert problems_of("extends-broken-base") == [
        (str(BAD / "broken-base.yaml"), 4, "", 'unclosed "[": no matching "]" (or a missing ",") before the end of the file')
    ]


def test_alias_bomb_fails_fast():
    start = time.perf_counter()
    assert problems_of("alias-bomb") == [(str(BAD / "alias-bomb.yaml"), 5, "e[0]", "YAML aliases expand too far")]
    # Expanded, the bomb is 9^9 strings (minutes and gigabytes); refused, it takes milliseconds. The
    # bound tells the two apart with room for a loaded machine.
    assert time.perf_counter() - start < 10


def test_binary_profile(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"apiVersion: clusterctl.dev/v1alpha1\n\x00\x01\x02")
    with pytest.raises(InvalidInput) as caught:
        profile.load(str(path), env={})
    assert [(p.file, p.line, p.message) for p in caught.value.problems] == [
        (str(path), None, "is a binary file (it contains NUL bytes); expected UTF-8 text")]


def test_non_utf8_profile(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("apiVersion: clusterctl.dev/v1alpha1\nkind: Profile\nnamespace: café\n".encode("latin-1"))
    with pytest.raises(InvalidInput) as caught:
        profile.load(str(path), env={})
    assert [(p.file, p.line, p.message) for p in caught.value.problems] == [
        (str(path), 3, "is not UTF-8 text (byte 0xe9 on line 3); save it as UTF-8")]


def test_a_value_that_is_set_needs_no_default():
    loaded = profile.load(str(BAD / "unset-variable.yaml"), env={"APP_NAMESPACE": "shop-ci"})
    assert loaded.namespace == "shop-ci"


def test_missing_files_are_not_checked_when_asked():
    loaded = profile.load(str(BAD / "context-not-found.yaml"), env={}, check_files=False)
    assert loaded.images[0].context == DATA / "app" / "nope"


def test_unknown_profile_name_lists_the_available_profiles():
    with pytest.raises(BadInput) as caught:
        profile.load("prod", cwd=DATA / "app", env={})
    error = caught.value
    assert error.message == 'no profile named "prod"; available: base, dev, minikube, push, uses-shared'
    assert error.hint.startswith(f"looked for prod.yaml in {DATA / 'app' / 'profiles'}, {DATA / 'profiles'}")


def test_unknown_profile_name_suggests_the_nearest():
    with pytest.raises(BadInput) as caught:
        profile.resolve("pussh", cwd=DATA)
    assert caught.value.message.startswith('no profile named "pussh" (did you mean "push"?); available: base')


def test_a_missing_profile_path():
    with pytest.raises(BadInput) as caught:
        profile.resolve("profiles/nope.yaml", cwd=DATA)
    assert caught.value.message == f"cannot read the profile: file not found: {DATA / 'profiles' / 'nope.yaml'}"
