"""Smart triage (智能导诊): from a chief complaint in everyday Chinese to a care level, departments and evidence.

The engine has no Django imports; it loads its knowledge base from `triage/kb/` once per process.

    from yiyun.triage import get_engine
    engine = get_engine()                                   # cached per process
    state = engine.start("孩子发烧三天，咳嗽有痰", age=None, sex=None, pregnant=None)
    result = engine.result(state)                           # plain JSON-serialisable dict
    if result["status"] == "asking":
        q = result["question"]                              # {"id", "text", "options": [yes/no/unsure]}
        state = engine.answer(state, q["id"], "yes")        # "yes" | "no" | "unsure"
    state = engine.add_message(state, "现在还吐了好几次")     # later free text; red flags re-checked

`state` is a JSON-serialisable dict (store it in a JSONField); it keeps the messages, answers, the questions asked and
the red flags raised, which are sticky: once raised, the care level stays EMERGENCY_NOW. At most 5 questions are asked.
`engine.answer` raises `TriageError` for an answer outside yes/no/unsure or a question that is not pending.

`result` keys: status ("asking" | "done"), question, care_level (EMERGENCY_NOW / WITHIN_24H / ROUTINE / SELF_CARE),
care_advice, emergency_message, crisis_hotline, red_flags [{id, name}], departments (top 3, always present:
[{standard_code, name, score}]), conditions ([{name, probability, label: "可能相关"}], never a diagnosis), keywords
(for matching doctors' 擅长), evidence {symptoms, negated, answers, body_parts_and_situations, diseases_mentioned,
rules_fired, duration_days, temperature, severity, patient, questions_asked}, ai_label "由AI生成，仅供参考".

Modules: normalize (text form), kb_files (readers for kb/), lexicon (longest-match scanner), polarity
(negated/resolved/history/hypothetical), quantities (temperature, duration, age, pregnancy week), timeline
(durations that date a birth, an operation or an old injury rather than the complaint), understand (one message),
context (who the patient is), redflags, conditions (condition model and question selection), routing
(departments), care (care level and advice), engine; build (`python -m yiyun.triage.build` regenerates kb/generated/
from the shared sources), dialog_data (the Dxy/MZ-4/MZ-10 cases and simulated patient), evaluation (all suites,
`python -m yiyun.triage.evaluation`). The knowledge base and its sources: kb/SOURCES.md.
"""

from yiyun.triage.engine import TriageEngine, TriageError, get_engine

__all__ = ["TriageEngine", "TriageError", "get_engine"]
