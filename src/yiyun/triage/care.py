"""Care level beyond red flags (shared/docs/triage-reference.md): WITHIN_24H rules, then ROUTINE or SELF_CARE."""

import re
from dataclasses import dataclass

EMERGENCY_NOW, WITHIN_24H, ROUTINE, SELF_CARE = "EMERGENCY_NOW", "WITHIN_24H", "ROUTINE", "SELF_CARE"
EMERGENCY_MESSAGE = "立即拨打120或前往最近医院急诊"

_PERSISTENT_VOMIT = re.compile(r"一直吐|吐个不停|吃什么吐什么|喝水都吐|反复呕吐|频繁呕吐|吐了(\d+|好几|很多)次|呕吐不止")
_ASTHMA_ATTACK = re.compile(r"哮喘(发作|犯了|又犯)|犯哮喘|喘得厉害|喘不过气")
_FRACTURE = re.compile(r"骨折|骨头断|不能走路|走不了路|不能动|动不了|变形|肿得(很|特别)?厉害")
_SELF_CARE_MAX_DAYS = 3

ADVICE = {
    WITHIN_24H: "建议今天内就医（门诊或线上急诊咨询）。如出现呼吸困难、意识不清、抽搐、持续剧痛等情况，请立即拨打120。",
    ROUTINE: "建议预约相关科室的普通门诊或线上复诊，带上既往检查结果。症状明显加重或出现新的严重症状时请及时就医。",
}
SELF_CARE_ADVICE = {
    "发热": "多喝温水，注意休息，体温超过38.5℃可按说明服用对乙酰氨基酚或布洛芬，衣物不要捂得太厚。",
    "咳嗽": "多喝温水，保持室内湿润，避免烟雾和冷空气刺激，可用蜂蜜水缓解（1岁以下婴儿不用蜂蜜）。",
    "流涕": "多休息多喝水，可用生理盐水冲洗鼻腔。",
    "咽痛": "多喝温水，可用淡盐水漱口，少吃辛辣刺激食物。",
    "腹泻": "少量多次补充口服补液盐或淡盐水，饮食清淡易消化，暂停油腻、生冷和奶制品。",
    "恶心": "少量多餐、清淡饮食，避免油腻。",
    "腹胀": "规律进食，细嚼慢咽，少吃产气食物（豆类、碳酸饮料），饭后适当走动。",
    "皮疹": "避免搔抓和热水烫洗，穿宽松棉质衣物，回想并避开可能的过敏原。",
    "皮肤瘙痒": "保持皮肤清洁湿润，用温水洗澡后涂保湿霜，避免搔抓。",
    "口腔溃疡": "保持口腔清洁，避免辛辣刺激食物，多吃新鲜蔬果。",
    "扭伤": "受伤48小时内冰敷（每次15–20分钟）、制动休息、加压包扎并抬高患处，之后再热敷。",
    "便秘": "多喝水，多吃蔬菜水果和粗粮，养成定时排便习惯，适当运动。",
    "鼻塞": "可用生理盐水冲洗鼻腔，保持室内空气湿润。",
    "打喷嚏": "避开花粉、尘螨等可能的过敏原，外出可戴口罩。",
    "咽部不适": "多喝水，少说话多休息，避免烟酒和辛辣食物。",
}
COME_BACK = "如果症状超过3天没有好转、体温超过39℃、出现呼吸困难、胸痛、意识改变、持续呕吐、便血或其他新的严重症状，请及时就医。"


# Events that need a doctor the same day even when they are over by the time the patient writes: concept → (rule,
# department, the words that name the event itself, advice). Sources: NICE CG109 (transient loss of consciousness),
# NHS "when to call 999" (a first seizure). 眼前一黑 (a moment of dizziness) and 抽筋 (usually a cramp) are left out.
RECENT_EVENTS = {
    "晕厥": ("fainting_needs_assessment", "03.04", {"晕倒", "昏倒", "晕过去", "晕厥", "一过性晕厥", "突然倒地"},
           "突然晕倒即使已经清醒，也需要尽快查明原因（心律失常等心脏原因可能再次发生）：请今天内到医院急诊或心内科就诊；"
           "如再次晕倒，或伴胸痛、心慌、气短、说话不清，立即拨打120。"),
    "抽搐": ("seizure_needs_assessment", "03.03", {"抽搐", "抽风", "惊厥", "四肢抽动", "手脚抽", "翻白眼", "口吐白沫",
                                                  "癫痫发作"},
           "抽搐停止后仍需要尽快查明原因：如果是第一次抽搐、抽搐超过5分钟、醒后一直没恢复正常或反复抽搐，请立即拨打120；"
           "否则请今天内就医（儿童到儿科急诊）。"),
}


@dataclass(frozen=True)
class RecentEvent:
    rule: str
    department: str
    advice: str


_KNOWN_EPILEPSY = re.compile(r"癫痫|羊癫疯|羊角风")


def recent_events(mentions, text: str) -> list[RecentEvent]:
    """The RECENT_EVENTS among symptom mentions (concept, surface, happening or just over). A known epilepsy explains
    its usual fits and falls: those go by the red flags (long, repeated) and the usual routing."""
    if _KNOWN_EPILEPSY.search(text):
        return []
    events = []
    for concept, surface, current in mentions:
        spec = RECENT_EVENTS.get(concept)
        if spec and current and surface in spec[2]:
            event = RecentEvent(spec[0], spec[1], spec[3])
            if event not in events:
                events.append(event)
    return events


@dataclass
class CareDecision:
    level: str
    advice: str
    rules: list[str]


def within_24h_rules(symptoms: dict[str, str], text: str, *, temperature, duration, child: bool, infant_months=None) -> list[str]:
    """The WITHIN_24H rules that apply (see the care-level table of the triage reference)."""
    rules = []
    fever = symptoms.get("发热") == "yes" or symptoms.get("高热") == "yes" or (temperature or 0) >= 37.3
    if (temperature or 0) >= 39.0 or symptoms.get("高热") == "yes":
        rules.append("fever_39_or_more")
    if child and fever and (duration or 0) >= 5:
        rules.append("child_fever_5_days")
    if child and fever and infant_months is not None and infant_months < 6 and (temperature or 0) >= 38:
        rules.append("infant_under_6_months_fever")
    if symptoms.get("呕吐") == "yes" and _PERSISTENT_VOMIT.search(text):
        rules.append("persistent_vomiting")
    if symptoms.get("腹痛") == "yes" and (duration or 0) >= 1.0 and (duration or 0) <= 14:
        rules.append("abdominal_pain_over_24h")
    if _ASTHMA_ATTACK.search(text) and symptoms.get("喘息") == "yes":
        rules.append("asthma_attack")
    injured = any(symptoms.get(c) == "yes" for c in ("骨折", "扭伤", "外伤"))
    if injured and _FRACTURE.search(text):
        rules.append("possible_fracture")
    if symptoms.get("阴囊睾丸痛") == "yes" or symptoms.get("腰腹绞痛") == "yes":
        rules.append("acute_pain_needs_exam")
    if symptoms.get("便血") == "yes" and (duration or 0) <= 2:
        rules.append("new_rectal_bleeding")
    if symptoms.get("端坐呼吸") == "yes":  # breathless lying flat: possible heart failure, needs a doctor today
        rules.append("orthopnoea")
    return rules


def decide(
    *, red_flag: bool, symptoms: dict[str, str], text: str, temperature, duration, severity, ctx, self_care_ok: bool,
    resolved_flags=(), events: list[RecentEvent] = (),
) -> CareDecision:
    if red_flag:
        return CareDecision(EMERGENCY_NOW, EMERGENCY_MESSAGE, ["red_flag"])
    infant_months = ctx.age_years * 12 if ctx.age_years is not None else None
    rules = within_24h_rules(symptoms, text, temperature=temperature, duration=duration, child=ctx.child, infant_months=infant_months)
    # Red-flag signs that are already over (a transient stroke) and same-day events (fainting, a seizure) come first,
    # each with its own advice.
    specific = [(r["rule"], r["advice"]) for r in resolved_flags] + [(e.rule, e.advice) for e in events]
    if specific:
        return CareDecision(WITHIN_24H, "".join(dict.fromkeys(a for _, a in specific)),
                            [r for r, _ in specific] + rules)
    if rules:
        return CareDecision(WITHIN_24H, ADVICE[WITHIN_24H], rules)
    present = [s for s, a in symptoms.items() if a == "yes"]
    mild_and_short = (duration is None or duration <= _SELF_CARE_MAX_DAYS) and severity != "severe"
    vulnerable = ctx.infant or ctx.pregnant or ctx.elderly
    if present and self_care_ok and mild_and_short and not vulnerable and (temperature or 0) < 38.5:
        tips = [SELF_CARE_ADVICE[s] for s in present if s in SELF_CARE_ADVICE]
        advice = "可以先在家观察和护理：" + "".join(tips or ["注意休息，多喝水，清淡饮食。"]) + COME_BACK
        return CareDecision(SELF_CARE, advice, ["mild_self_limiting"])
    return CareDecision(ROUTINE, ADVICE[ROUTINE], [])
