"""A conflict in the vocabulary with no figures yet reconciles to empty tables."""

from __future__ import annotations

import json


def test_conflict_without_figures_reconciles_to_nothing(run, dataset):
    result = run(["reconcile", "vietnam", "--format", "json"], data=dataset)
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["groups"], payload["series"], payload["checks"]) == ([], [], [])
    table = run(["reconcile", "vietnam"], data=dataset)
    assert "vietnam: 0 groups, 0 series, 0 checks" in table.stdout


def test_schema_covers_the_checks_file(run):
    schema = json.loads(run(["schema", "checks"]).stdout)
    assert "checks" in schema["properties"]
