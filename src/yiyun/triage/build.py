"""Rebuild every derived knowledge-base artefact in `triage/kb/generated/` from the shared sources.

    YIYUN_SHARED_DIR=../shared python -m yiyun.triage.build

Inputs: the hand-curated files in `triage/kb/`, the standard department list in `catalog/data/`, and from the shared
directory the 39.net disease KB and the Dxy / MZ-4 / MZ-10 *training* splits. Output is sorted and deterministic, so
running the build twice gives identical files, and tests/triage/test_generated.py checks that the committed files
are what the current sources and code make. See `kb/SOURCES.md`.
"""

import collections
import json
import os
import re
import sys
from pathlib import Path

from yiyun.triage.dialog_data import DATASETS, load_cases, run_dialog
from yiyun.triage.kb_files import (
    CATALOG_DEPARTMENTS,
    GENERATED_DIR,
    KB_DIR,
    implication_closure,
    parse_weights,
    read_cues,
    read_json,
    read_rows,
    read_symptoms,
)

ANSWERS = ("yes", "no", "unsure")
COMMONNESS_PRIOR = {5: 1.0, 4: 0.5, 3: 0.25, 2: 0.12, 1: 0.06}


def shared_dir() -> Path:
    default = Path(__file__).resolve().parents[3] / ".." / "shared"
    return Path(os.environ.get("YIYUN_SHARED_DIR", default)).resolve()


def source_department_map() -> dict[str, str]:
    return {row[0].strip(): (row[1].strip() if len(row) > 1 else "") for row in read_rows(KB_DIR / "source_departments.tsv")}


def specific_codes(names: list[str], mapping: dict[str, str]) -> list[str]:
    """Standard codes for 39.net department names, dropping a parent (03) when a child (03.02) is also there."""
    codes = sorted({mapping[n] for n in names if mapping.get(n)})
    return [c for c in codes if not any(o != c and o.startswith(c + ".") for o in codes)]


FEMALE_PARTS = {"女性生殖", "子宫", "卵巢", "阴道", "外阴", "输卵管", "乳房"}
MALE_PARTS = {"男性生殖", "前列腺", "睾丸", "阴囊", "阴茎", "输精管"}
FEMALE_POPULATIONS = {"女性", "妇女", "成年女性", "女性人群", "孕妇", "产妇", "妊娠期女性", "中年女性", "育龄妇女", "育龄女性"}
MALE_POPULATIONS = {"男性", "成年男性", "男性人群", "中老年男性", "老年男性"}


def sex_of(disease: dict, codes: list[str]) -> str:
    """"F"/"M" only when the source says so plainly: the population field is just one sex ("成年男性"; not "好发于
    女性"), or every body part is sex-specific (尿路感染 lists 前列腺 among others and stays open to both)."""
    population = disease.get("age", "").strip("。 ")
    parts = set(disease.get("part", []))
    if population in FEMALE_POPULATIONS or (parts and parts <= FEMALE_PARTS - {"乳房"}):
        return "F"
    if population in MALE_POPULATIONS or (parts and parts <= MALE_PARTS):
        return "M"
    if codes and all(c.startswith(("05", "06")) for c in codes):
        return "F"
    return ""


def age_of(disease: dict) -> str:
    text = disease.get("age", "")
    if any(w in text for w in ("新生儿",)):
        return "infant"
    if any(w in text for w in ("儿童", "婴幼儿", "小儿", "幼儿", "婴儿")) and "成" not in text and "所有" not in text:
        return "child"
    return ""


def load_39net(shared: Path) -> list[dict]:
    diseases, seen = [], set()
    path = shared / "data" / "triage" / "kb_39net" / "disease_kb_clean.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        disease = json.loads(line)
        if disease["name"] in seen:
            continue
        seen.add(disease["name"])
        diseases.append(disease)
    return diseases


def build_departments() -> dict:
    catalog = json.loads(CATALOG_DEPARTMENTS.read_text(encoding="utf-8"))
    rules = read_json("department_rules.json")
    return {
        "source": "catalog/data/standard_departments.json + kb/department_rules.json",
        "departments": {
            d["code"]: {"name": d["patient_name"], "official_name": d["name"], "parent": d["parent"]}
            for d in catalog["departments"]
        },
        "rules": {k: v for k, v in rules.items() if k != "about"},
    }


def _is_term(surface: str) -> bool:
    """Drop source noise such as durations ("2-10天") and truncated strings ("枸橼酸西地那非...")."""
    return not re.search(r"\d(?!型)|\.\.\.|[()（）,，、]", surface)


def build_terms(diseases: list[dict], curated_surfaces: set[str]) -> list[str]:
    """39.net disease names, aliases and symptom words with their department weights (our TSV format)."""
    mapping = source_department_map()
    disease_terms: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    disease_meta: dict[str, tuple[str, str]] = {}
    symptom_departments: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for disease in diseases:
        codes = specific_codes(disease["departments"], mapping)
        if not codes:
            continue
        sex, age = sex_of(disease, codes), age_of(disease)
        for surface in [disease["name"], *disease.get("alias", [])]:
            surface = surface.strip()
            if 2 <= len(surface) <= 12 and surface not in curated_surfaces and _is_term(surface):
                for code in codes:
                    disease_terms[surface][code] += 1.0 / len(codes)
                disease_meta.setdefault(surface, (sex, age))
        for symptom in disease.get("symptoms_truncated", []):
            symptom = symptom.strip()
            if 2 <= len(symptom) <= 10 and symptom not in curated_surfaces and _is_term(symptom):
                for code in codes:
                    symptom_departments[symptom][code] += 1.0 / len(codes)
    rows = ["# surface\tkind\tdepartments\tsex\tage  (generated by yiyun.triage.build from the 39.net KB)"]
    for surface in sorted(disease_terms):
        weights = disease_terms[surface]
        total = sum(weights.values())
        cells = ",".join(f"{c}:{4 * w / total:.2f}" for c, w in sorted(weights.items()) if w / total >= 0.2)
        sex, age = disease_meta[surface]
        rows.append(f"{surface}\tdisease\t{cells}\t{sex}\t{age}")
    for surface in sorted(set(symptom_departments) - set(disease_terms)):
        weights = symptom_departments[surface]
        total = sum(weights.values())
        top = [(c, w / total) for c, w in weights.most_common(3) if w / total >= 0.2]
        cells = ",".join(f"{c}:{2 * share:.2f}" for c, share in sorted(top))
        rows.append(f"{surface}\tsymptom\t{cells}\t\t")
    return rows


def concept_scanner(concepts) -> dict[str, str]:
    """Surface → concept for mapping source symptom strings onto our concepts (most specific concept wins)."""
    surfaces: dict[str, str] = {}
    for concept in concepts.values():
        for term in concept.terms:
            if term.startswith("~"):
                continue
            current = surfaces.get(term)
            if current is None or term == concept.name or (concept.implies and current != term):
                surfaces[term] = concept.name
    return surfaces


def map_to_concepts(text: str, surfaces: dict[str, str]) -> list[str]:
    """Concepts named inside a source string, longest match first (腹部剧烈疼痛 → 腹痛)."""
    found, i = [], 0
    longest = max(map(len, surfaces))
    while i < len(text):
        for length in range(min(longest, len(text) - i), 0, -1):
            concept = surfaces.get(text[i : i + length])
            if concept and length >= 2:
                found.append(concept)
                i += length
                break
        else:
            i += 1
    return list(dict.fromkeys(found))


def build_conditions(diseases: list[dict], concepts) -> dict:
    mapping = source_department_map()
    by_name = {}
    for disease in diseases:
        for surface in [disease["name"], *disease.get("alias", [])]:
            by_name.setdefault(surface, disease)
    surfaces = concept_scanner(concepts)
    conditions, missing = [], []
    for row in read_rows(KB_DIR / "common_conditions.tsv"):
        row = [c.strip() for c in row] + [""] * 7
        name, commonness, symptoms, departments, sex, age, self_care = row[:7]
        source = by_name.get(name)
        if source is None:
            missing.append(name)
        codes = specific_codes(source["departments"], mapping) if source else []
        dept_weights = parse_weights(departments) or {c: 5.0 for c in codes}
        probabilities: dict[str, float] = {}
        for item in filter(None, (s.strip() for s in symptoms.split(","))):
            often = item.endswith("~")
            concept = item.rstrip("~")
            if concept not in concepts:
                raise ValueError(f"common_conditions.tsv: unknown symptom {concept!r} for {name}")
            probabilities[concept] = 0.35 if often else 0.75
        for text in (source or {}).get("symptoms_truncated", []):
            for concept in map_to_concepts(text, surfaces):
                probabilities.setdefault(concept, 0.4)
        conditions.append(
            {
                "name": name,
                "prior": COMMONNESS_PRIOR.get(int(commonness or 2), 0.12),
                "departments": dept_weights,
                "symptoms": dict(sorted(probabilities.items())),
                "sex": sex or (sex_of({"part": source.get("part", [])}, []) if source else ""),
                "age": age or (age_of(source) if source else ""),
                "self_care": self_care == "1",
                "source": "39.net + curated" if source else "curated",
            }
        )
    return {"conditions": conditions, "not_in_39net": sorted(missing)}


def map_dataset_symptom(name: str, surfaces: dict[str, str], generated: set[str]) -> str:
    """Our concept for a dataset symptom name: a curated concept, a 39.net term, or the name itself."""
    if name in surfaces:
        return surfaces[name]
    return name


def choose_criterion(dataset: str, cases, table: dict, concepts, generated_surfaces) -> tuple[str, dict]:
    """Run the engine's own simulated consultations on 5 folds of the training split for each question criterion."""
    from yiyun.triage.conditions import (
        dialog_model,  # the engine reads kb/generated/, written before this runs
    )
    from yiyun.triage.engine import TriageEngine

    engine = TriageEngine(model=dialog_model(dataset, data=table), extra_terms=list(table["symptom_map"].items()))
    scores = {}
    for criterion in ("information_gain", "expected_accuracy"):
        correct = 0
        for fold in range(5):
            train = [c for i, c in enumerate(cases) if i % 5 != fold]
            held = [c for i, c in enumerate(cases) if i % 5 == fold]
            fold_table = dialog_table(dataset, train, concepts, generated_surfaces)
            engine.model = dialog_model(dataset, data=fold_table, criterion=criterion)
            correct += sum(run_dialog(engine, c, table["symptom_map"])[0] == c.disease for c in held)
        scores[criterion] = round(correct / len(cases), 4)
    best = "expected_accuracy" if scores["expected_accuracy"] > scores["information_gain"] else "information_gain"
    return best, scores


def dialog_table(dataset: str, cases, concepts, generated_surfaces: set[str]) -> dict:
    surfaces = concept_scanner(concepts)
    names = sorted({s for case in cases for s in (*case.explicit, *case.implicit)})
    concept_of = {n: map_dataset_symptom(n, surfaces, generated_surfaces) for n in names}
    diseases = sorted({case.disease for case in cases})
    counts = {d: collections.defaultdict(lambda: [0, 0]) for d in diseases}
    totals = collections.Counter()
    for case in cases:
        totals[case.disease] += 1
        findings = case.concept_findings(concept_of)
        for concept, value in implication_closure(findings, concepts).items():
            if value in ("yes", "no"):
                counts[case.disease][concept][ANSWERS.index(value)] += 1
    concept_names = sorted({c for d in diseases for c in counts[d]})
    return {
        "dataset": dataset,
        "source": f"shared/data/triage/dialog_diagnosis ({dataset} train split, {len(cases)} cases)",
        "diseases": {d: totals[d] for d in diseases},
        "symptom_map": dict(sorted(concept_of.items())),
        "concepts": concept_names,
        "counts": {d: {c: counts[d][c] for c in sorted(counts[d])} for d in diseases},
        "local_terms": sorted({c for c in concept_of.values() if c not in concepts}),
    }


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def build_artefacts(shared: Path, *, choose_criteria: bool = True) -> dict[str, str]:
    """Every file of `kb/generated/` as text, by name. Choosing the dialog tables' question criterion runs simulated
    consultations with the engine, which reads the generated files: `main` writes the others before that step.
    Without `choose_criteria` the dialog tables lack `criterion` and `criterion_cv` (the up-to-date check)."""
    concepts = read_symptoms()
    cues = read_cues()
    curated = {t.lower() for c in [*concepts.values(), *cues.values()] for t in c.terms if not t.startswith("~")}
    diseases = load_39net(shared)
    terms = build_terms(diseases, curated)
    files = {
        "departments.json": dump_json(build_departments()),
        "kb_terms.tsv": "\n".join(terms) + "\n",
        "conditions.json": dump_json(build_conditions(diseases, concepts)),
    }
    generated_surfaces = {row.split("\t", 1)[0] for row in terms[1:]}
    if choose_criteria:
        for name, text in files.items():
            (GENERATED_DIR / name).write_text(text, encoding="utf-8")
    for dataset in DATASETS:
        cases = load_cases(shared, dataset, "train")
        table = dialog_table(dataset, cases, concepts, generated_surfaces)
        if choose_criteria:
            table["criterion"], table["criterion_cv"] = choose_criterion(dataset, cases, table, concepts, generated_surfaces)
        files[f"dialog_{dataset}.json"] = dump_json(table)
    return files


def main(argv: list[str] | None = None) -> int:
    shared = shared_dir()
    if not (shared / "data" / "triage").is_dir():
        print(f"shared data not found at {shared} (set YIYUN_SHARED_DIR)", file=sys.stderr)
        return 2
    GENERATED_DIR.mkdir(parents=True, exist_ok=True)
    files = build_artefacts(shared)
    for name, text in files.items():
        path = GENERATED_DIR / name
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(KB_DIR.parent)} ({path.stat().st_size // 1024} KB)")
    not_in_39net = json.loads(files["conditions.json"])["not_in_39net"]
    if not_in_39net:
        print("curated only (not in 39.net):", " ".join(not_in_39net))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
