"""The figures of issue 5: targets, medians and spread, the table and the JSON document."""
from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str
    target: float  # the figure meets its target when its median is at most this
    what: str


FIGURES = (
    Figure("readiness_latency_s", 0.2, "last pod Ready (pod-ready.log) -> clusterctl process ended"),
    Figure("cold_up_ratio_vs_manual", 0.6, "cold up / seed 000's manual script, same round"),
    Figure("warm_up_ratio_vs_manual", 0.2, "no-op up / manual script rerun, same pair"),
    Figure("noop_up_s", 1.5, "warm up, nothing changed"),
    Figure("parallel_build_ratio", 1.3, "3 cold builds (build step) / slowest single build"),
    Figure("redeploy_overhead_s", 0.5, "redeploy wall - build, ship, apply, ready phases"),
    Figure("plan_50_services_s", 1.0, "up --dry-run of a 50-service profile"),
    Figure("noop_up_50_services_s", 5.0, "no-op up of the 50-service profile"),
)

# Measured alongside, to read the ratios by.
CONTEXT = ("cold_up_clusterctl_s", "cold_up_manual_s", "warm_up_manual_s", "redeploy_s",
           "parallel_build_s", "slowest_single_build_s", "cold_up_50_services_s")


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "n": len(values)}


def step_medians(runs: list[dict[str, float]]) -> dict[str, float]:
    names = [name for name in runs[0]] if runs else []
    return {n: round(statistics.median(r.get(n, 0.0) for r in runs), 3) for n in names}


def document(samples: dict[str, list[float]], steps: dict[str, list[dict]], machine: dict,
             settings: dict) -> dict:
    """Top-level keys are the issue's figures (their medians); the rest says how they were made."""
    doc: dict = {f.key: summary(samples[f.key])["median"] for f in FIGURES if samples.get(f.key)}
    doc["figures"] = {
        f.key: {**summary(samples[f.key]), "target": f.target, "met": summary(samples[f.key])["median"] <= f.target,
                "what": f.what, "samples": samples[f.key]}
        for f in FIGURES if samples.get(f.key)}
    doc["context"] = {k: {**summary(samples[k]), "samples": samples[k]} for k in CONTEXT if samples.get(k)}
    doc["step_medians_s"] = {k: step_medians(v) for k, v in steps.items()}
    doc["machine"], doc["settings"] = machine, settings
    return doc


def table(samples: dict[str, list[float]]) -> str:
    rows = [("figure", "median", "min", "max", "n", "target", "")]
    for f in FIGURES:
        if not samples.get(f.key):
            continue
        s = summary(samples[f.key])
        rows.append((f.key, f"{s['median']:.3f}", f"{s['min']:.3f}", f"{s['max']:.3f}", str(s["n"]),
                     f"<= {f.target:g}", "ok" if s["median"] <= f.target else "MISSED"))
    rows.append(("", "", "", "", "", "", ""))
    for key in CONTEXT:
        if samples.get(key):
            s = summary(samples[key])
            rows.append((key, f"{s['median']:.3f}", f"{s['min']:.3f}", f"{s['max']:.3f}", str(s["n"]), "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
