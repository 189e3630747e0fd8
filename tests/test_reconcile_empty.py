"""A conflict in the vocabulary with no figures yet reconciles to empty tables."""

from __future__ import annotations

import json


def test_conflict_without_figures_reconciles_to_nothing(run, dataset):
    vocabulary = dataset / "data" / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text("utf-8").replace(
        "\nconflicts:\n", "\nconflicts:\n  gulf:\n    label: Gulf War\n", 1), "utf-8")
    result = run(["reconcile", "gulf", "--format", "json"], data=dataset)
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["groups"], payload["series"], payload["checks"]) == ([], [], [])
    table = run(["reconcile", "gulf"], data=dataset)
    assert "gulf: 0 groups, 0 series, 0 checks" in table.stdout


def test_schema_covers_the_checks_file(run):
    schema = json.loads(run(["schema", "checks"]).stdout)
    assert "checks" in schema["properties"]
