"""The committed `kb/generated/` files are what `yiyun triage-build` makes from the current sources and code.

A stale file changes the product's answers and the benchmark figures without any diff to review (a dialog table once
lagged its code and the Dxy figure moved by a case). The question criterion of the dialog tables comes from
cross-validation with the whole engine and is left to the build; everything else is rebuilt here and compared."""

import json

import pytest

from yiyun.triage import build
from yiyun.triage.kb_files import GENERATED_DIR

CRITERION_KEYS = ("criterion", "criterion_cv")


@pytest.fixture(scope="module")
def rebuilt() -> dict[str, str]:
    shared = build.shared_dir()
    if not (shared / "data" / "triage").is_dir():
        pytest.skip(f"shared data not found at {shared} (set YIYUN_SHARED_DIR)")
    return build.build_artefacts(shared, choose_criteria=False)


def test_every_generated_file_is_rebuilt(rebuilt):
    committed = {p.name for p in GENERATED_DIR.iterdir() if p.suffix in (".json", ".tsv")}
    assert committed == set(rebuilt)


@pytest.mark.parametrize("name", ["departments.json", "kb_terms.tsv", "conditions.json"])
def test_generated_file_matches_its_sources(rebuilt, name):
    committed = (GENERATED_DIR / name).read_text(encoding="utf-8")
    assert committed == rebuilt[name], f"kb/generated/{name} is stale: run `yiyun triage-build` and commit it"


@pytest.mark.parametrize("dataset", ["dxy", "mz4", "mz10"])
def test_dialog_table_matches_its_training_split(rebuilt, dataset):
    committed = json.loads((GENERATED_DIR / f"dialog_{dataset}.json").read_text(encoding="utf-8"))
    assert committed["criterion"] in ("information_gain", "expected_accuracy")
    assert set(committed["criterion_cv"]) == {"information_gain", "expected_accuracy"}
    assert committed["criterion"] == max(committed["criterion_cv"], key=lambda c: (committed["criterion_cv"][c], c == "information_gain"))
    for key in CRITERION_KEYS:
        del committed[key]
    assert committed == json.loads(rebuilt[f"dialog_{dataset}.json"]), (
        f"kb/generated/dialog_{dataset}.json is stale: run `yiyun triage-build` and commit it"
    )
