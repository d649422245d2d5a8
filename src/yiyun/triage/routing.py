"""Department ranking: evidence from symptoms, body parts, life situations, named diseases and the condition model,
then the patient's age, sex and pregnancy applied (children to paediatrics, pregnancy to obstetrics, no 妇科 for men).
"""

from collections import defaultdict
from dataclasses import dataclass

from yiyun.triage.context import PatientContext
from yiyun.triage.lexicon import CONTEXT_TAGS, CUE, DISEASE, KB_SYMPTOM
from yiyun.triage.polarity import HISTORY
from yiyun.triage.understand import Reading

DISEASE_WEIGHT = 2.5
KB_SYMPTOM_WEIGHT = 0.6
CONDITION_WEIGHT = 1.0
WEAK_CUE = 0.35
HISTORY_BODY_PART = 0.5
PREGNANCY_SPECIALTIES = ("10", "11", "12", "13")


@dataclass
class Departments:
    """Standard departments and the rules of kb/department_rules.json."""

    names: dict[str, str]
    parents: dict[str, str | None]
    rules: dict

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def for_child(self, code: str) -> str:
        if code.startswith(("07", "08", "09")) or code in self.rules["child_also_fine"]:
            return code
        return self.rules["pediatric_equivalent"].get(code) or self.rules["pediatric_equivalent"].get(
            self.parents.get(code) or "", self.rules["pediatric_fallback"]
        )

    def allowed(self, code: str, ctx: PatientContext) -> bool:
        if ctx.sex == "M" and code.startswith(tuple(self.rules["female_only_prefixes"])):
            return False
        if not ctx.child and code.startswith(tuple(self.rules["child_only_prefixes"])):
            return False
        return not (ctx.child and code in self.rules["adult_only"])


def evidence_scores(
    readings: list[Reading], symptoms: dict[str, str], concepts, cues, *, child_map: dict[str, str] | None = None
) -> dict[str, float]:
    """Department votes from what the patient said and answered (before age/sex/pregnancy rules).

    For a child, symptoms tagged `peds` that adults take to ENT, dermatology or orthopaedics (流鼻涕, 皮疹, 抽筋) vote
    for paediatrics (`child_map`); others (色斑, 牙痛) and a body part named outright (耳朵, 牙, 眼睛) keep their
    specialty."""
    scores: dict[str, float] = defaultdict(float)
    child_map = child_map or {}
    for concept, answer in symptoms.items():
        if answer == "yes" and concept in concepts:
            spec = concepts[concept]
            mapping = child_map if "peds" in spec.tags else {}
            for code, weight in spec.departments.items():
                scores[mapping.get(code, code)] += weight
    seen: set[tuple[str, str]] = set()
    for reading in readings:
        for mention in reading.present(CUE) + _history_body_parts(reading, cues):
            if (CUE, mention.key) in seen or reading.observer(mention) or mention.set_aside:
                continue
            seen.add((CUE, mention.key))
            cue = cues[mention.key]
            factor = WEAK_CUE if "weak" in cue.tags else 1.0
            if mention.polarity == HISTORY:
                factor *= HISTORY_BODY_PART
            for code, weight in cue.departments.items():
                scores[code] += weight * factor
        for kind, factor in ((DISEASE, DISEASE_WEIGHT), (KB_SYMPTOM, KB_SYMPTOM_WEIGHT)):
            for mention in reading.present(kind):
                if (kind, mention.key) in seen or mention.set_aside:
                    continue
                seen.add((kind, mention.key))
                for code, weight in mention.departments:
                    scores[code] += weight * factor
    return scores


def _history_body_parts(reading: Reading, cues) -> list:
    """Body parts named in a past-history clause ("以前补过的牙最近咬东西疼", "做过膝盖手术"): still the organ the
    patient is talking about, so they vote at a reduced weight. Life situations (pregnancy, a child) do not: "以前怀过孕"
    says nothing about now."""
    return [m for m in reading.mentions
            if m.kind == CUE and m.polarity == HISTORY and not (cues[m.key].tags & CONTEXT_TAGS)]


def add_condition_scores(scores: dict[str, float], posterior, model, has_evidence: bool, present=()) -> None:
    """Spread the condition posterior over each condition's departments, counting only conditions that have at least
    one of the symptoms present (otherwise a common condition would win on its prior alone)."""
    if not has_evidence or not model.departments or not any(model.departments):
        return
    fitting = {
        d
        for d in range(len(model.diseases))
        for concept in present
        if concept in model.index and model.answer_prob[d, model.index[concept], 0] > 0.1
    }
    for d, p in enumerate(posterior):
        if p < 0.02 or d not in fitting:
            continue
        depts = model.departments[d]
        total = sum(depts.values()) or 1.0
        for code, weight in depts.items():
            scores[code] += CONDITION_WEIGHT * p * weight / total * 5


def organ_named_with_only_general_symptoms(readings: list[Reading], present: list[str], concepts, cues) -> bool:
    """"肛门旁边肿了一碰就疼，还有点低烧": the organ named decides; conditions guessed from a fever alone
    (bronchitis, a cold) would outvote it, so the caller leaves the condition model out. Not for a child, whose fever
    with a sore mouth is paediatric (the caller checks that)."""
    general = all("general" in concepts[c].tags for c in present if c in concepts)
    organ = any(not (cues[m.key].tags & CONTEXT_TAGS) and "weak" not in cues[m.key].tags
                for r in readings for m in r.present(CUE))
    return bool(present) and general and organ


def rank(scores: dict[str, float], ctx: PatientContext, departments: Departments, *, pregnancy_related: bool) -> list[dict]:
    """Top three departments with scores in 0..1, after the age, sex and pregnancy rules."""
    adjusted: dict[str, float] = defaultdict(float)
    for code, score in scores.items():
        if score <= 0:
            continue
        target = departments.for_child(code) if ctx.child else code
        if ctx.sex == "M":  # male infertility and contraception are seen in 男科 (urology)
            target = departments.rules.get("male_equivalent", {}).get(target, target)
        if departments.allowed(target, ctx):
            adjusted[target] += score
    if ctx.pregnant:
        top_other = max(adjusted.items(), key=lambda kv: kv[1], default=("", 0.0))
        specialty_first = top_other[0].startswith(PREGNANCY_SPECIALTIES) and not pregnancy_related
        boost = max(top_other[1] * (0.8 if specialty_first else 1.3), 4.0)
        adjusted["05.02"] = max(adjusted.get("05.02", 0.0), boost)
    fallback = departments.rules["pediatric_fallback"] if ctx.child else departments.rules["fallback"]
    if not adjusted:
        adjusted[fallback] = 1.0
    ranked = sorted(adjusted.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = _merge_parent_child(ranked, departments)
    total = sum(score for _, score in ranked) or 1.0
    top = [(code, score / total) for code, score in ranked[:3]]
    _keep_in_top3(top, ranked, total, ctx)
    for extra in (fallback, "02" if not ctx.child else "07", "20"):
        if len(top) >= 3:
            break
        if extra not in {c for c, _ in top} and departments.allowed(extra, ctx):
            top.append((extra, 0.0))
    return [{"standard_code": c, "name": departments.name(c), "score": round(float(s), 3)} for c, s in top]


def _keep_in_top3(top: list[tuple[str, float]], ranked: list[tuple[str, float]], total: float, ctx: PatientContext) -> None:
    """A child always has a paediatric department among the three, a pregnant woman always has 产科."""
    wanted = None
    if ctx.child and not any(c.startswith(("07", "08", "09")) for c, _ in top):
        wanted = next(((c, s / total) for c, s in ranked if c.startswith(("07", "08", "09"))), ("07", 0.0))
    elif ctx.pregnant and all(c != "05.02" for c, _ in top):
        wanted = ("05.02", 0.0)
    if wanted:
        if len(top) >= 3:
            top[-1] = wanted
        else:
            top.append(wanted)


def _merge_parent_child(ranked: list[tuple[str, float]], departments: Departments) -> list[tuple[str, float]]:
    """Fold a parent (03) into its best-scoring child (03.02) so the list names specific departments."""
    scores = dict(ranked)
    for code, score in ranked:
        children = [(c, s) for c, s in scores.items() if departments.parents.get(c) == code]
        if children and code in scores:
            best_child = max(children, key=lambda kv: kv[1])[0]
            scores[best_child] += score * 0.5
            del scores[code]
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
