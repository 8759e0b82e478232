"""What a whole run amounts to, for people: scenarios by capability, the share of negative
scenarios, the portal endpoints exercised against all it serves; and, for the Allure report,
the environment panel, the failure categories and the same summary as a global attachment.
"""
from __future__ import annotations

import json
import platform
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from support.evidence.allure_report import epic_of, rule_of

NEGATIVE_TARGET = 0.30
MAX_LISTED = 8  # endpoints listed by name at the end of a run; a partial run would list dozens
KEY_PACKAGES = ("behave", "allure-behave", "fastapi", "uvicorn", "psycopg", "httpx", "requests-mock", "pgserver")

# Allure categories (first match wins), kept in one file that allurerc.mjs reads too
CATEGORIES = json.loads((Path(__file__).with_name("report_categories.json")).read_text(encoding="utf-8"))


@dataclass
class Endpoint:
    method: str
    template: str

    @property
    def pattern(self) -> re.Pattern:
        return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(self.template)) + "$")

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


@dataclass
class RunSummary:
    by_capability: Counter = field(default_factory=Counter)
    negative_by_capability: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    requests: set[tuple[str, str]] = field(default_factory=set)  # (method, path without query)
    scenario_seconds: dict[str, float] = field(default_factory=dict)  # file::name -> s, to balance parallel runs
    rules: dict[str, bool] = field(default_factory=dict)  # "Feature: Rule" -> broken (a scenario under it failed)

    def record(self, scenario, exchanges, seconds: float = 0.0) -> None:
        capability = epic_of(scenario)
        status = getattr(scenario.status, "name", str(scenario.status))
        self.statuses[status] += 1
        self.scenario_seconds[f"{scenario.feature.filename}::{scenario.name}"] = seconds
        if status == "skipped":
            return
        rule = rule_of(scenario)
        if rule is not None:
            key = rule_key(scenario.feature.name, rule.name)
            self.rules[key] = self.rules.get(key, False) or status not in ("passed", "skipped")
        self.by_capability[capability] += 1
        if "negative" in scenario.effective_tags:
            self.negative_by_capability[capability] += 1
        for exchange in exchanges:
            self.requests.add((exchange.method, exchange.path.split("?")[0]))

    def to_json(self) -> dict:
        return {
            "by_capability": dict(self.by_capability),
            "negative_by_capability": dict(self.negative_by_capability),
            "statuses": dict(self.statuses),
            "requests": sorted(list(r) for r in self.requests),
            "scenario_seconds": {k: round(v, 3) for k, v in self.scenario_seconds.items()},
            "rules": dict(self.rules),
        }

    @classmethod
    def merged(cls, parts: list[dict]) -> "RunSummary":
        """One summary out of several workers' (or shards') `to_json()`."""
        total = cls()
        for part in parts:
            total.by_capability.update(part["by_capability"])
            total.negative_by_capability.update(part["negative_by_capability"])
            total.statuses.update(part["statuses"])
            total.requests.update(tuple(r) for r in part["requests"])
            total.scenario_seconds.update(part["scenario_seconds"])
            for key, broken in part.get("rules", {}).items():
                total.rules[key] = total.rules.get(key, False) or broken
        return total

    @property
    def broken_rules(self) -> list[str]:
        return sorted(key for key, broken in self.rules.items() if broken)

    def rules_line(self) -> str:
        """The product owner's verdict: how many business rules the run found broken, and which."""
        broken = self.broken_rules
        if not self.rules:
            return "Business rules: none of the scenarios run sits under a Rule"
        if not broken:
            return f"Business rules: all {len(self.rules)} kept"
        return f"{len(broken)} of {len(self.rules)} rules broken:"

    @property
    def executed(self) -> int:
        return sum(self.by_capability.values())

    @property
    def negative(self) -> int:
        return sum(self.negative_by_capability.values())

    def coverage(self, endpoints: list[Endpoint]) -> tuple[list[Endpoint], list[Endpoint]]:
        exercised = [e for e in endpoints
                     if any(m == e.method and e.pattern.match(p) for m, p in self.requests)]
        return exercised, [e for e in endpoints if e not in exercised]

    def lines(self, endpoints: list[Endpoint], whole_suite: bool = True) -> list[str]:
        """The summary for people; a partial run (tags, names, some files) leaves out the figures
        that only mean something for the whole suite (negative share, endpoints not exercised)."""
        out = ["Specification summary" + ("" if whole_suite else " (of the scenarios selected)")]
        width = max((len(c) for c in self.by_capability), default=10)
        for capability, count in sorted(self.by_capability.items()):
            out.append(f"  {capability:<{width}}  {count:>3} scenarios, {self.negative_by_capability[capability]:>3} negative")
        out.append("  " + self.rules_line())
        out += [f"    broken: {rule}" for rule in self.broken_rules]
        share = self.negative / self.executed if self.executed else 0.0
        verdict = "meets" if share >= NEGATIVE_TARGET else "BELOW"
        if not whole_suite:
            out.append(f"  Negative scenarios: {self.negative} of {self.executed}")
        else:
            out.append(f"  Negative scenarios: {self.negative} of {self.executed} ({share:.0%}); {verdict} the {NEGATIVE_TARGET:.0%} target")
        if endpoints and whole_suite:
            exercised, untouched = self.coverage(endpoints)
            out.append(f"  Portal endpoints exercised: {len(exercised)} of {len(endpoints)} in its OpenAPI document")
            for endpoint in untouched[:MAX_LISTED]:
                out.append(f"    not exercised by any scenario: {endpoint}")
            if len(untouched) > MAX_LISTED:
                out.append(f"    ... and {len(untouched) - MAX_LISTED} more (all in reports/summary.json)")
        skipped = self.statuses.get("skipped", 0)
        if skipped:
            out.append(f"  Skipped in this mode: {skipped} scenario(s) (see each one's reason)")
        return out

    def as_dict(self, endpoints: list[Endpoint]) -> dict:
        exercised, untouched = self.coverage(endpoints)
        return {
            "scenarios_by_capability": dict(self.by_capability),
            "negative_by_capability": dict(self.negative_by_capability),
            "negative_share": round(self.negative / self.executed, 3) if self.executed else 0.0,
            "negative_target": NEGATIVE_TARGET,
            "statuses": dict(self.statuses),
            "endpoints_total": len(endpoints),
            "endpoints_exercised": [str(e) for e in exercised],
            "endpoints_not_exercised": [str(e) for e in untouched],
            "rules_total": len(self.rules),
            "rules_broken": self.broken_rules,
        }


def rule_key(feature: str, rule: str) -> str:
    return f"{feature}: {rule}"


def endpoints_from_openapi(document: dict) -> list[Endpoint]:
    methods = {"get", "post", "put", "patch", "delete"}
    return [Endpoint(m.upper(), path) for path, ops in sorted(document.get("paths", {}).items())
            for m in sorted(ops) if m in methods]


def portal_version(root: Path) -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return (commit + (" with local changes" if dirty else "")) if commit else "unknown (not a git checkout)"


def environment_properties(summary: RunSummary, endpoints: list[Endpoint], *, portal: str, run_mode: str,
                           database: str, postgres: str) -> dict[str, str]:
    """The report's environment panel, for a single run and for a merged parallel run alike."""
    exercised, _ = summary.coverage(endpoints)
    props = {
        "Portal version (git commit)": portal,
        "Run mode": run_mode,
        "Database": database,
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "Scenarios run": str(summary.executed),
        "Negative scenarios": f"{summary.negative} of {summary.executed} "
                              f"({(summary.negative / summary.executed if summary.executed else 0):.0%}, target {NEGATIVE_TARGET:.0%})",
        "Endpoints exercised": f"{len(exercised)} of {len(endpoints)}",
        "Business rules": summary.rules_line().rstrip(":"),
    }
    for package in KEY_PACKAGES:
        try:
            props[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return props


def write_report_files(results_dir: Path, properties: dict[str, str], summary: dict) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "environment.properties").write_text(
        "".join(f"{_escape(k)}={_escape_value(v)}\n" for k, v in properties.items()), encoding="utf-8")
    (results_dir / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")
    (results_dir.parent / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


def _escape(key: str) -> str:
    return key.replace("\\", "\\\\").replace(" ", "\\ ").replace(":", "\\:").replace("=", "\\=")


def _escape_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", " ")
