"""Red-flag suite (kb/red_flag_suite.json): recall on emergencies, false alarms on look-alikes; and how often flags
fire on real patient questions (Toyhom internal medicine, Dxy parents' self-reports), most of which are not emergencies."""

import csv
from pathlib import Path

from yiyun.triage.dialog_data import load_cases
from yiyun.triage.engine import TriageEngine
from yiyun.triage.kb_files import read_json


def run(engine: TriageEngine) -> dict:
    suite = read_json("red_flag_suite.json")
    missed, per_flag = [], {}
    for case in suite["positives"]:
        state = engine.start(case["text"], age=case.get("age"), sex=case.get("sex"), pregnant=case.get("pregnant"))
        result = engine.result(state)
        hit = case["flag"] in {f["id"] for f in result["red_flags"]} and result["care_level"] == "EMERGENCY_NOW"
        total, found = per_flag.get(case["flag"], (0, 0))
        per_flag[case["flag"]] = (total + 1, found + int(hit))
        if not hit:
            missed.append(case)
    alarms = []
    for case in suite["negatives"]:
        state = engine.start(case["text"], age=case.get("age"), sex=case.get("sex"), pregnant=case.get("pregnant"))
        if state["red_flags"]:
            alarms.append({**case, "raised": state["red_flags"]})
    positives, negatives = len(suite["positives"]), len(suite["negatives"])
    return {
        "positives": positives,
        "negatives": negatives,
        "recall": (positives - len(missed)) / positives,
        "false_alarm_rate": len(alarms) / negatives,
        "missed": missed,
        "false_alarms": alarms,
        "per_flag": per_flag,
    }


def real_text_rate(engine: TriageEngine, shared: Path) -> dict:
    """Share of real questions that raise a flag (an upper bound on over-triage: some of them are real emergencies)."""
    path = shared / "data" / "triage" / "toyhom_internal_medicine_sample" / "sample_IM_5000-6000_utf8.csv"
    with path.open(encoding="utf-8") as handle:
        texts = [f"{r['title']}。{r['ask']}" for r in csv.DictReader(handle)]
    texts += [c.self_report for split in ("train", "test") for c in load_cases(shared, "dxy", split) if c.self_report]
    flagged = sum(1 for text in texts if engine.start(text)["red_flags"])
    return {"texts": len(texts), "flagged": flagged, "rate": flagged / len(texts)}
