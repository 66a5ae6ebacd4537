"""`clusterctl validate`: the profile and every file it references, checked without running anything."""

from __future__ import annotations

from clusterctl import redact
from clusterctl.app import Options, console_for, load_profile
from clusterctl.errors import InvalidInput
from clusterctl.manifests.source import read_manifests


def validate_profile(profile_arg: str, options: Options) -> int:
    console = console_for(options)
    loaded = load_profile(profile_arg)
    problems = []
    documents = 0
    for source in loaded.manifests:
        if source.kind == "kustomize":
            continue  # rendered by kubectl kustomize at run time
        try:
            documents += len(read_manifests(source))
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    summary = {"profile": loaded.name, "source": str(loaded.source), "driver": loaded.cluster.driver,
               "images": [i.name for i in loaded.images], "manifestSources": len(loaded.manifests),
               "documents": documents}
    if options.json:
        console.print(redact.dumps({"schema": "clusterctl.dev/report/v1", "verb": "validate", "ok": True, **summary},
                                 indent=2))
    else:
        console.print(f"profile {loaded.name!r} is valid ({loaded.source}): {len(loaded.images)} image(s), "
                      f"{len(loaded.manifests)} manifest source(s), {documents} document(s)")
    return 0
