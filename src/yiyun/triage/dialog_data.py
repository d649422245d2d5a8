"""Readers for the Dxy / MZ-4 / MZ-10 ask-then-diagnose cases in the shared data (build and evaluation only)."""

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATASETS = ("dxy", "mz4", "mz10")
_MZ10_VALUES = {"1": "yes", "0": "no", "2": "unsure"}


@dataclass
class Case:
    """One record: what the patient says first, what they reveal only when asked, and the doctor's label."""

    explicit: dict[str, str]
    implicit: dict[str, str]
    disease: str
    self_report: str = ""

    def concept_findings(self, concept_of: dict[str, str]) -> dict[str, str]:
        """Answers per concept; several dataset symptoms on one concept merge (yes > no > unsure)."""
        merged: dict[str, str] = {}
        for name, value in {**self.implicit, **self.explicit}.items():
            concept = concept_of.get(name, name)
            current = merged.get(concept)
            if current is None or (value == "yes") or (value == "no" and current == "unsure"):
                merged[concept] = value
        return merged


def _root(shared: Path) -> Path:
    return shared / "data" / "triage" / "dialog_diagnosis"


def _bool_slots(slots: dict) -> dict[str, str]:
    return {k: ("yes" if v is True else "no" if v is False else "unsure") for k, v in slots.items()}


def _self_reports(shared: Path, split: str) -> list[tuple[set[str], str]]:
    """The Dxy self-reports of one split in file order, with the explicit symptom names to check alignment."""
    text = (_root(shared) / "dxy" / "dxy_dialog_data_dialog_v2.txt").read_text(encoding="utf-8")
    parts = re.split(r"(train|test)@", text)
    for i in range(1, len(parts), 2):
        if parts[i] == split:
            items = ast.literal_eval(parts[i + 1].strip())
            return [(set(it["goal"]["explicit_inform_slots"]), it.get("self_repo", "").strip()) for it in items]
    return []


def load_cases(shared: Path, dataset: str, split: str) -> list[Case]:
    """Cases of one split ("train" or "test"); implicit slots never repeat an explicit one."""
    root = _root(shared)
    if dataset == "mz10":
        cases = []
        for item in json.loads((root / "mz10_imcs21" / f"{split}_set.json").read_text(encoding="utf-8")):
            explicit = {k: _MZ10_VALUES[v] for k, v in item["exp_sxs"].items()}
            implicit = {k: _MZ10_VALUES[v] for k, v in item["imp_sxs"].items() if k not in explicit}
            cases.append(Case(explicit, implicit, item["label"]))
        return cases
    folder = {"dxy": "dxy", "mz4": "mz4"}[dataset]
    items = json.loads((root / folder / f"{split}_goal_dict_dxy.txt").read_text(encoding="utf-8"))
    reports = _self_reports(shared, split) if dataset == "dxy" else []
    cases = []
    for index, item in enumerate(items):
        explicit = _bool_slots(item["explicit_inform_slots"])
        implicit = {k: v for k, v in _bool_slots(item["implicit_inform_slots"]).items() if k not in explicit}
        report = ""
        if index < len(reports) and reports[index][0] == set(explicit):
            report = reports[index][1]
        cases.append(Case(explicit, implicit, item["disease_tag"], report))
    return cases


def opening_message(explicit: dict[str, str]) -> str:
    """What the simulated patient types first: the explicit symptoms ("有咳嗽、发热，没有呕吐")."""
    present = [s for s, v in explicit.items() if v == "yes"]
    absent = [s for s, v in explicit.items() if v == "no"]
    parts = []
    if present:
        parts.append("有" + "、".join(present))
    if absent:
        parts.append("没有" + "、".join(absent))
    return "，".join(parts) or "不舒服"


def simulated_answer(concept: str, case: Case, concept_of: dict[str, str]) -> str:
    """The simulated patient answers only from the case: yes / no as recorded, anything else "unsure"."""
    return case.concept_findings(concept_of).get(concept, "unsure")


def run_dialog(engine, case: Case, concept_of: dict[str, str], *, opening: str | None = None) -> tuple[str, int]:
    """One simulated consultation through the engine's public turns: (condition named, questions asked)."""
    state = engine.start(opening or opening_message(case.explicit))
    while state["status"] == "asking":
        question = state["pending_question"]
        state = engine.answer(state, question, simulated_answer(question, case, concept_of))
    return engine.condition_ranking(state)[0][0], len(state["asked"])
