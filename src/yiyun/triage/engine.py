"""The triage engine: turn-by-turn state in, state and result out (see the package docstring for the API)."""

import copy
import functools

from yiyun.triage import care
from yiyun.triage.conditions import ANSWERS, ConditionModel, product_model
from yiyun.triage.context import PatientContext, patient_context
from yiyun.triage.i18n import gettext_noop
from yiyun.triage.kb_files import (
    GENERATED_DIR,
    implication_closure,
    read_cues,
    read_english_questions,
    read_json,
    read_symptoms,
)
from yiyun.triage.lexicon import CUE, DISEASE, KB_SYMPTOM, SYMPTOM, build_lexicon
from yiyun.triage.polarity import PRESENT, RESOLVED, told_of_remote_past
from yiyun.triage.redflags import FlagContext, RedFlagChecker
from yiyun.triage.routing import (
    Departments,
    add_condition_scores,
    evidence_scores,
    organ_named_with_only_general_symptoms,
    rank,
)
from yiyun.triage.understand import Reading, read_message

MAX_QUESTIONS = 5
_CHILD_DISEASE_PREFIXES = ("小儿", "儿童", "婴儿", "婴幼儿", "新生儿", "幼儿")
# Chinese is the engine's language; the texts a page shows as they are are marked for translation (gettext_noop: the
# engine itself never translates) and the pages translate them. The questions' English is `question.text_en`.
AI_LABEL = gettext_noop("由AI生成，仅供参考")
STATE_VERSION = 1
OPTIONS = [
    {"value": "yes", "label": gettext_noop("是")},
    {"value": "no", "label": gettext_noop("否")},
    {"value": "unsure", "label": gettext_noop("不确定")},
]


class TriageError(ValueError):
    """A request the engine cannot apply to this state (unknown question, bad answer)."""


class TriageEngine:
    def __init__(self, *, model: ConditionModel | None = None, extra_terms=(), generated_terms: bool = True) -> None:
        self.concepts = read_symptoms()
        self.questions_en = read_english_questions()
        self.cues = read_cues()
        self.lexicon = build_lexicon(self.concepts, self.cues, generated=generated_terms, extra_terms=extra_terms)
        self.model = model or product_model(self.concepts)
        self.flags = RedFlagChecker()
        self._read = functools.lru_cache(maxsize=4096)(self._read_uncached)
        data = read_json("departments.json", GENERATED_DIR)
        self.departments = Departments(
            names={c: d["name"] for c, d in data["departments"].items()},
            parents={c: d["parent"] for c, d in data["departments"].items()},
            rules=data["rules"],
        )

    # ---- turns -------------------------------------------------------------------------------------------------
    def start(self, message: str, *, age=None, sex=None, pregnant=None) -> dict:
        state = {
            "version": STATE_VERSION,
            "patient": {"age": age, "sex": sex, "pregnant": pregnant},
            "messages": [],
            "answers": {},
            "asked": [],
            "pending_question": None,
            "red_flags": [],
            "status": "asking",
        }
        return self.add_message(state, message)

    def add_message(self, state: dict, message: str) -> dict:
        state = copy.deepcopy(state)
        state["messages"].append(message)
        pending = state.get("pending_question")
        if pending and pending not in state["answers"] and pending in state["asked"]:
            state["asked"].remove(pending)  # unanswered: it does not count, and may be asked again if still the best
            state["pending_question"] = None
        return self._advance(state)

    def answer(self, state: dict, question_id: str, answer: str) -> dict:
        if answer not in ANSWERS:
            raise TriageError(f"answer must be one of {ANSWERS}")
        if question_id != state.get("pending_question"):
            raise TriageError(f"question {question_id!r} is not the one being asked")
        state = copy.deepcopy(state)
        state["answers"][question_id] = answer
        state["pending_question"] = None
        return self._advance(state)

    # ---- reasoning ---------------------------------------------------------------------------------------------
    def _advance(self, state: dict) -> dict:
        analysis = self._analyse(state)
        for flag in analysis["new_flags"]:
            if flag not in state["red_flags"]:
                state["red_flags"].append(flag)
        if state["red_flags"] or len(state["asked"]) >= MAX_QUESTIONS:
            state["status"], state["pending_question"] = "done", None
            return state
        question = self._next_question(analysis, state)
        if question is None:
            state["status"], state["pending_question"] = "done", None
        else:
            state["status"], state["pending_question"] = "asking", question
            state["asked"].append(question)
        return state

    def _next_question(self, analysis: dict, state: dict) -> str | None:
        if analysis["cues_only"]:
            return None  # a body part or life situation ("想做个产检") already decides; nothing to separate

        posterior = analysis["posterior"]
        if posterior.max() >= self.model.stop_confidence:
            return None
        known = set(analysis["findings"]) | set(state["asked"])
        concept, gain = self.model.best_question(posterior, known)
        if concept is None or gain < self.model.min_gain:
            return None
        return concept

    def _analyse(self, state: dict) -> dict:
        readings = [self._read(m) for m in state["messages"]]
        cue_tags = {t for r in readings for c in r.subject_cue_names() for t in self.cues[c].tags}
        if any(m.surface.startswith(_CHILD_DISEASE_PREFIXES) for r in readings for m in r.present(DISEASE)):
            cue_tags.add("pediatric")  # 小儿咳嗽, 新生儿黄疸: the disease name says who the patient is
        patient = state["patient"]
        ctx = patient_context(readings, cue_tags, age=patient["age"], sex=patient["sex"], pregnant=patient["pregnant"])
        said: dict[str, str] = {}
        for reading in readings:  # later messages override earlier ones ("发烧已经退了")
            said.update(reading.symptoms())
        findings = implication_closure({**said, **state["answers"]}, self.concepts)
        temperature = max((r.temperature for r in readings if r.temperature is not None), default=None)
        new_flags = self._red_flags(readings, ctx, findings, temperature)
        posterior = self.model.normalise(self._log_posterior(findings, ctx))
        has_evidence = any(v == "yes" for v in findings.values()) or any(
            r.present(DISEASE) or r.present(KB_SYMPTOM) for r in readings
        )
        cues_only = not has_evidence and not any(v == "no" for v in findings.values()) and any(r.cue_names() for r in readings)
        return {
            "cues_only": cues_only,
            "readings": readings,
            "ctx": ctx,
            "findings": findings,
            "said": said,
            "temperature": temperature,
            "new_flags": new_flags,
            "posterior": posterior,
            "has_evidence": has_evidence,
        }

    def _log_posterior(self, findings: dict, ctx: PatientContext):
        child = ctx.child if ctx.age_years is not None or ctx.child else None
        return self.model.log_posterior(findings, sex=ctx.sex, child=child)

    @staticmethod
    def _flag_context(readings: list[Reading], ctx: PatientContext, findings: dict, temperature) -> FlagContext:
        fever = findings.get("发热") == "yes" or (temperature is not None and temperature >= 37.5)
        return FlagContext(
            age_years=ctx.age_years,
            child=ctx.child,
            fever=fever,
            temperature=temperature,
            # a negative home test or a guessed pregnancy may be wrong: the pregnancy flags still apply
            pregnant=ctx.pregnant or any(r.pregnancy_doubted for r in readings),
            diabetes=any(r.diabetes for r in readings),
            days_since_birth=ctx.days_since_birth,
        )

    def _same_day_rules(self, readings: list[Reading], ctx: PatientContext, findings: dict, temperature,
                        text: str) -> list[care.SameDayRule]:
        """Red-flag signs already over (a transient stroke), events just over (a faint), situations (a bite), a mother's
        warning signs after a birth or an abortion."""
        flag_ctx = self._flag_context(readings, ctx, findings, temperature)
        rules = [care.resolved_flag_rule(flag.if_resolved)
                 for reading in readings for text in _flag_texts(reading) for flag in self.flags.resolved(text, flag_ctx)]
        rules += care.recent_events(  # not an event of a story told from years or months back (去年抽过一次，当时口吐白沫)
            ((m.key, m.surface, m.polarity in (PRESENT, RESOLVED)
              and not told_of_remote_past(r.text, m.start, m.start + len(m.surface)))
             for r in readings for m in r.mentions if m.kind == SYMPTOM),
            text,
        )
        rules += care.urgent_situations(text, age_years=ctx.age_years)
        abortion_days = [r.days_since_abortion for r in readings if r.days_since_abortion is not None]
        rules += care.maternal_warning_signs(
            findings, text, temperature=temperature, days_since_birth=ctx.days_since_birth, child=ctx.child,
            recent_abortion=any(r.recent_abortion for r in readings), days_since_abortion=min(abortion_days, default=None),
        )
        if not ctx.pregnant:  # in a known pregnancy red flag 17 already covers bleeding and pain
            rules += care.possible_ectopic(findings, text, child=ctx.child)
        return list(dict.fromkeys(rules))

    def _red_flags(self, readings: list[Reading], ctx: PatientContext, findings: dict, temperature) -> list[dict]:
        flag_ctx = self._flag_context(readings, ctx, findings, temperature)
        raised = []
        for reading in readings:
            for flag in (f for text in _flag_texts(reading) for f in self.flags.check(text, flag_ctx)):
                item = {"id": flag.id, "name": flag.name}
                if item not in raised:
                    raised.append(item)
        return raised

    def clear_cache(self) -> None:
        """Forget the messages read so far (used to time turns as a fresh worker would serve them)."""
        self._read.cache_clear()
        self.flags.clear_cache()

    def _read_uncached(self, message: str) -> Reading:
        return read_message(message, self.lexicon)  # cached: every turn re-reads the conversation's messages

    # ---- output ------------------------------------------------------------------------------------------------
    def result(self, state: dict) -> dict:
        analysis = self._analyse(state)
        ctx: PatientContext = analysis["ctx"]
        readings: list[Reading] = analysis["readings"]
        findings, posterior = analysis["findings"], analysis["posterior"]
        red_flags = list(state["red_flags"])
        for flag in analysis["new_flags"]:
            if flag not in red_flags:
                red_flags.append(flag)
        text = "，".join(r.flag_text for r in readings)  # the care rules read the message with typed spaces kept
        timed = [r for r in readings if r.duration_days is not None]
        longest = max(timed, key=lambda r: r.duration_days, default=None)
        duration = longest.duration_days if longest else None
        severity = next((r.severity for r in readings if r.severity == "severe"), None) or next(
            (r.severity for r in readings if r.severity), None
        )
        child_map = self.departments.rules["child_symptom_equivalent"] if ctx.child else None
        # What the writer puts aside ("腰有点酸先不管") counts for the care level, not for the department.
        aside = ({m.key for r in readings for m in r.mentions if m.set_aside}
                 - {m.key for r in readings for m in r.mentions if not m.set_aside and m.polarity == PRESENT}
                 - set(state["answers"]))
        routing_findings = {c: a for c, a in findings.items() if c not in aside}
        routing_posterior = self.model.normalise(self._log_posterior(routing_findings, ctx)) if aside else posterior
        scores = evidence_scores(readings, routing_findings, self.concepts, self.cues, child_map=child_map)
        same_day = [] if red_flags else self._same_day_rules(readings, ctx, findings, analysis["temperature"], text)
        for rule in same_day:
            scores[rule.department] += rule.weight
        present = [c for c, a in routing_findings.items() if a == "yes"]
        if ctx.child or not organ_named_with_only_general_symptoms(readings, present, self.concepts, self.cues):
            add_condition_scores(scores, routing_posterior, self.model, analysis["has_evidence"], present)
        pregnancy_related = bool({"孕产"} & {c for r in readings for c in r.cue_names()})
        departments = rank(scores, ctx, self.departments, pregnancy_related=pregnancy_related)
        conditions = self._conditions(posterior, analysis["has_evidence"])
        self_care_ok = bool(conditions) and all(c["self_care"] for c in conditions[:2]) and all(
            "self_care" in self.concepts[s].tags or s in ("发热", "低热")
            for s, a in findings.items()
            if a == "yes" and s in self.concepts
        )
        decision = care.decide(
            red_flag=bool(red_flags), symptoms=findings, text=text, temperature=analysis["temperature"],
            duration=duration, severity=severity, ctx=ctx, self_care_ok=self_care_ok, same_day=same_day,
            after_life_event=any(r.history_days is not None for r in readings),
            old_injuries=frozenset().union(*(r.old_injuries for r in readings)) - frozenset().union(
                *(r.fresh_injuries for r in readings)),
            duration_vague=bool(longest and longest.duration_vague),
        )
        hotline = any(f["id"] == 16 for f in red_flags)
        advice = decision.advice + (self.flags.hotline if hotline else "")
        question = state.get("pending_question") if state["status"] == "asking" else None
        return {
            "status": state["status"],
            "question": self._question(question) if question else None,
            "care_level": decision.level,
            "care_advice": advice,
            "emergency_message": care.EMERGENCY_MESSAGE if red_flags else None,
            "crisis_hotline": self.flags.hotline if hotline else None,
            "red_flags": red_flags,
            "departments": departments,
            "conditions": [{"name": c["name"], "probability": c["probability"], "label": "可能相关"} for c in conditions],
            "keywords": self._keywords(readings, findings, conditions, departments),
            "evidence": {
                "symptoms": sorted(s for s, a in findings.items() if a == "yes"),
                "negated": sorted(s for s, a in analysis["said"].items() if a == "no"),
                "answers": [{"question_id": q, "answer": state["answers"][q]} for q in state["asked"] if q in state["answers"]],
                "body_parts_and_situations": sorted({m.surface for r in readings for m in r.present(CUE)}),
                "diseases_mentioned": sorted({m.surface for r in readings for m in r.present(DISEASE)}),
                "rules_fired": decision.rules,
                "duration_days": duration,
                "temperature": analysis["temperature"],
                "severity": severity,
                "patient": ctx.as_dict(),
                "questions_asked": len(state["asked"]),
            },
            "ai_label": AI_LABEL,
        }

    def condition_ranking(self, state: dict) -> list[tuple[str, float]]:
        """All candidate conditions of the engine's condition model, most probable first."""
        posterior = self._analyse(state)["posterior"]
        order = posterior.argsort()[::-1]
        return [(self.model.diseases[i], float(posterior[i])) for i in order]

    def _question(self, concept: str) -> dict:
        spec = self.concepts.get(concept)
        text = spec.question if spec else f"有没有{concept}的情况？"
        return {"id": concept, "text": text, "text_en": self.questions_en.get(concept), "options": [dict(o) for o in OPTIONS]}

    def _conditions(self, posterior, has_evidence: bool) -> list[dict]:
        if not has_evidence:
            return []
        order = posterior.argsort()[::-1][:3]
        return [
            {"name": self.model.diseases[i], "probability": round(float(posterior[i]), 3), "self_care": self.model.self_care[i]}
            for i in order
            if posterior[i] >= 0.05
        ]

    def _keywords(self, readings, findings, conditions, departments) -> list[str]:
        words = [s for s, a in findings.items() if a == "yes"]
        words += [m.surface for r in readings for m in r.present(DISEASE)]
        words += [m.surface for r in readings for m in r.present(CUE) if len(m.surface) <= 4]  # 乳房, 膝盖; not 孩子发烧
        words += [c["name"] for c in conditions]
        for dept in departments[:1]:
            words += self.departments.rules["keywords"].get(dept["standard_code"], [])
        return list(dict.fromkeys(words))[:15]


def _flag_texts(reading: Reading) -> tuple[str, ...]:
    """The readings of a message the red flags check: typed spaces kept ("我爸吐了 好多血") and, when that differs, a
    space after a particle made a comma ("是不是心脏病啊 胸口疼 出冷汗"). Either may show a flag."""
    return (reading.flag_text,) if reading.text == reading.flag_text else (reading.flag_text, reading.text)


@functools.cache
def get_engine() -> TriageEngine:
    """The product engine, loaded once per process."""
    return TriageEngine()
