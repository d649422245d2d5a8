"""Department routing on a dev set: the hand-written complaints in department_dev.tsv (20 outpatient directions) and the
Toyhom internal-medicine sample (real questions, 11 sub-department labels mapped to standard codes).

Top-1 counts as correct when the first department equals an acceptable code, or is its parent or child in the
national list (03 vs 03.02), e.g. 04.01 for a breast lump, 50.11 or 04.01 for anorectal complaints. When the engine
found the patient to be a child (or pregnant), the paediatric equivalent of the label (or 产科) is also accepted,
since that is where the product sends children and pregnant women.
"""

import csv
import random
from pathlib import Path

from yiyun.triage.engine import TriageEngine
from yiyun.triage.kb_files import read_rows

DEV_FILE = Path(__file__).with_name("department_dev.tsv")
TOYHOM_CODES = {  # Toyhom internal-medicine label → acceptable standard codes
    "肝病科": ["16.03", "03.02"],
    "消化科": ["03.02"],
    "神经科": ["03.03", "04.02"],
    "心血管科": ["03.04"],
    "内分泌科": ["03.07"],
    "呼吸科": ["03.01"],
    "肾内科": ["03.06"],
    "感染科": ["16"],
    "血液科": ["03.05"],
    "普通内科": ["03", "02"],
    "风湿免疫科": ["03.08"],
}


def tolerated(predicted: str, acceptable: list[str]) -> bool:
    return any(predicted == g or predicted.startswith(g + ".") or g.startswith(predicted + ".") for g in acceptable)


def acceptable_for(codes: list[str], patient: dict, engine: TriageEngine) -> list[str]:
    """The product sends children to paediatrics and pregnant women to obstetrics: when the complaint is about a
    child, the paediatric equivalent of a label is also right (小儿呼吸科 for 呼吸科); for a pregnancy, 产科 too."""
    extra = []
    if patient.get("child"):
        extra += [engine.departments.for_child(c) for c in codes]
    if patient.get("pregnant"):
        extra.append("05.02")
    return codes + extra


def _route(engine: TriageEngine, text: str, age=None, sex=None) -> tuple[list[str], dict]:
    result = engine.result(engine.start(text, age=age, sex=sex))
    return [d["standard_code"] for d in result["departments"]], result["evidence"]["patient"]


def run_handwritten(engine: TriageEngine, *, path: Path = DEV_FILE) -> dict:
    per_direction: dict[str, list[int]] = {}
    misses = []
    for row in read_rows(path):
        direction, codes, text = row[0], row[1].split("|"), row[2]
        age = float(row[3]) if len(row) > 3 and row[3].strip() else None
        sex = row[4].strip() if len(row) > 4 and row[4].strip() else None
        ranked, patient = _route(engine, text, age, sex)
        codes = acceptable_for(codes, patient, engine)
        top1, top3 = tolerated(ranked[0], codes), any(tolerated(c, codes) for c in ranked)
        stats = per_direction.setdefault(direction, [0, 0, 0])
        stats[0] += 1
        stats[1] += top1
        stats[2] += top3
        if not top1:
            misses.append({"direction": direction, "text": text, "expected": codes, "got": ranked})
    total = sum(s[0] for s in per_direction.values())
    return {
        "cases": total,
        "top1": sum(s[1] for s in per_direction.values()) / total,
        "top3": sum(s[2] for s in per_direction.values()) / total,
        "per_direction": {d: round(s[1] / s[0], 2) for d, s in per_direction.items()},
        "misses": misses,
    }


def run_toyhom(engine: TriageEngine, shared: Path, *, per_label: int = 150, seed: int = 4) -> dict:
    """A stratified sample (at most `per_label` questions per label, fixed seed) so the large 肝病科 class does not dominate."""
    path = shared / "data" / "triage" / "toyhom_internal_medicine_sample" / "sample_IM_5000-6000_utf8.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["department"] in TOYHOM_CODES]
    rng = random.Random(seed)
    by_label: dict[str, list[dict]] = {}
    for row in rows:
        by_label.setdefault(row["department"], []).append(row)
    sample = []
    for label in sorted(by_label):
        items = by_label[label]
        sample += rng.sample(items, min(per_label, len(items)))
    per_label_acc: dict[str, list[int]] = {}
    top1 = top3 = 0
    for row in sample:
        ranked, patient = _route(engine, f"{row['title']}。{row['ask']}")
        codes = acceptable_for(TOYHOM_CODES[row["department"]], patient, engine)
        hit = tolerated(ranked[0], codes)
        top1 += hit
        top3 += any(tolerated(c, codes) for c in ranked)
        stats = per_label_acc.setdefault(row["department"], [0, 0])
        stats[0] += 1
        stats[1] += hit
    return {
        "cases": len(sample),
        "top1": top1 / len(sample),
        "top3": top3 / len(sample),
        "per_label": {k: round(v[1] / v[0], 2) for k, v in per_label_acc.items()},
    }



# Hand-written sets after the first: each was run once before any change made from it (first-run top-1, top-3).
HANDWRITTEN_SETS = (
    ("second set, longer messages", "department_heldout.tsv", (0.700, 0.819)),
    ("third set, dialect, few symptom words", "department_third.tsv", (0.670, 0.760)),
    ("body part only", "department_bodyparts.tsv", (0.833, 0.900)),
    ("consultation-post style", "department_fifth.tsv", (0.783, 0.967)),
    ("sixth set", "department_sixth.tsv", (0.817, 0.900)),
    ("seventh set", "department_seventh.tsv", (0.817, 0.983)),
    ("short queries", "department_eighth.tsv", (0.891, 0.906)),
    ("kiosk voice, 4 per direction", "department_ninth.tsv", (0.8625, 0.950)),
    ("long messages with history and noise", "department_tenth.tsv", (0.850, 0.950)),
    ("relatives, typos, which-clinic questions and worries, 5 per direction", "department_eleventh.tsv", (0.830, 0.900)),
    ("voice-to-text, reports, medicines, follow-ups and lifestyle, 5 per direction", "department_twelfth.tsv", (0.880, 0.950)),
    (
        "cannot-do, comparisons, shy private questions, students and workers, pinyin initials, 5 per direction",
        "department_thirteenth.tsv",
        (0.780, 0.870),
    ),
    (
        "follow-ups, triggers, preambles, vague elders, toddlers' behaviour, check-up wishes, regional words, "
        "euphemisms, 5 per direction",
        "department_fourteenth.tsv",
        (0.820, 0.890),
    ),
    (
        "department question first, test results and numbers, old injuries and operations, occupations, pregnancy "
        "with other complaints, very short, Cantonese and traditional characters, 5 per direction",
        "department_fifteenth.tsv",
        (0.860, 0.930),
    ),
    (
        "functions lost, wrong lay guesses, changes others noticed, beauty and hobby triggers, internet slang, timing "
        "clues, elders told of by relatives, the second of two complaints, 5 per direction",
        "department_sixteenth.tsv",
        (0.840, 0.920),
    ),
    (
        "medicines and home remedies, comparisons with relatives or past episodes, loose numbers, polite openings, "
        "body parts by position, seasonal and work triggers, asking for someone far away, pinyin slips, 5 per direction",
        "department_seventeenth.tsv",
        (0.940, 0.970),
    ),
    (
        "sensations by comparison, sounds, sizes and colours, negatives first, indirect ages, roles and periods, lay "
        "nicknames, school/work/gym situations, surgery or test questions, 5 per direction",
        "department_eighteenth.tsv",
        (0.920, 0.970),
    ),
    (
        "habits that cannot be stopped, timelines over days, device and app readings, work, travel and exam worries, cost "
        "and insurance questions, less common complaints, the wrong department named first, one deciding symptom among "
        "minor ones, grandparents and grandchildren, emoji noise, foreigners' simple Chinese, 5 per direction",
        "department_nineteenth.tsv",
        (0.810, 0.900),
    ),
    ("typed in English (the English interface), 2 per direction", "department_english.tsv", (0.925, 0.975)),
)


def run_later_sets(engine: TriageEngine) -> list[dict]:
    """Every later hand-written set with its current figures and its first-run figures."""
    results = []
    for label, filename, first_run in HANDWRITTEN_SETS:
        result = run_handwritten(engine, path=Path(__file__).with_name(filename))
        results.append({"label": label, "file": filename, "first_run": first_run, **result})
    return results
