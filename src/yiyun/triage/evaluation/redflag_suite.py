"""Red-flag suite (kb/red_flag_suite.json): recall on emergencies, false alarms on look-alikes."""

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
