"""Ask-then-diagnose on the Dxy / MZ-4 / MZ-10 test splits with a simulated patient.

The patient's explicit symptoms become the opening message ("有咳嗽、发热，没有呕吐"), read by the product's own
message understanding (lexicon, negation); the engine then asks up to 5 questions chosen by expected information gain,
and the simulated patient answers only from the case: a symptom recorded as present → yes, recorded as absent → no,
anything else (or IMCS-21's "not sure") → unsure, the convention of the benchmark's user simulator. The condition model
(disease prior and answer table) is learned from the dataset's training split only (kb/generated/dialog_*.json).
"""

from pathlib import Path

from yiyun.triage.conditions import dialog_model
from yiyun.triage.dialog_data import load_cases, run_dialog
from yiyun.triage.engine import TriageEngine
from yiyun.triage.kb_files import GENERATED_DIR, read_json

PUBLISHED = {  # HRL (best published agent) accuracy and turns; OpenMedicalChatBox table
    "dxy": {"hrl_acc": 0.779, "hrl_turns": 8.61, "explicit_only": 0.682, "all_symptoms": 0.846, "target": 0.80},
    "mz4": {"hrl_acc": 0.735, "hrl_turns": 5.08, "explicit_only": 0.671, "all_symptoms": 0.755, "target": 0.75},
    "mz10": {"hrl_acc": 0.556, "hrl_turns": 6.99, "explicit_only": 0.532, "all_symptoms": 0.706, "target": 0.62},
}


def engine_for(dataset: str) -> TriageEngine:
    table = read_json(f"dialog_{dataset}.json", GENERATED_DIR)
    extra = [(name, concept) for name, concept in table["symptom_map"].items()]
    return TriageEngine(model=dialog_model(dataset), extra_terms=extra)


def run(shared: Path, dataset: str, *, self_report: bool = False) -> dict:
    engine = engine_for(dataset)
    concept_of = read_json(f"dialog_{dataset}.json", GENERATED_DIR)["symptom_map"]
    cases = load_cases(shared, dataset, "test")
    correct, questions = 0, []
    for case in cases:
        opening = case.self_report if self_report and case.self_report else None
        predicted, asked = run_dialog(engine, case, concept_of, opening=opening)
        correct += predicted == case.disease
        questions.append(asked)
    return {
        "dataset": dataset,
        "cases": len(cases),
        "accuracy": correct / len(cases),
        "mean_questions": sum(questions) / len(questions),
        "max_questions": max(questions),
        "criterion": engine.model.criterion,
        **PUBLISHED[dataset],
    }
