"""Which stated durations belong to the complaint and which date a life event (a birth, a discharge, an operation, an
old fracture): "产后三个月，大便出血" is bleeding of unknown duration in a woman three months after birth, not bleeding
for three months in a pregnant woman; "手腕骨折打钢板半年了" dates the fracture, it does not make it fresh.

A duration dates an event when it follows the event in the same clause ("生完孩子半年了", "脑梗出院一个月了") or
precedes it as "N前" ("三个月前生的孩子"), with no symptom named in between ("骨折后疼了三天" is three days of pain).
Years after a long-standing illness ("糖尿病十年了，肚子疼两天") date the illness: the complaint's own duration wins.
"""

import re
from dataclasses import dataclass

from yiyun.triage.polarity import clause_bounds

# Life events whose date a duration may give. Births come first: the puerperium (产褥期) lasts 42 days (6 weeks), after
# which a woman who gave birth is no longer in the obstetric window; a fracture has also united by about 6 weeks.
BIRTH = re.compile(r"产后|生完(?!气|病)|生[了的]?(孩子|宝宝|小孩|二胎|2胎|老二|二宝|女儿|儿子|闺女)|分娩|剖腹产|剖宫产|顺产")
LIFE_EVENT = re.compile(
    BIRTH.pattern + r"|出院|手术|术后|开刀|打钢板|打了钢板|上钢板|钢板|钢钉|内固定|支架|搭桥|骨折|骨裂|扭伤|崴脚|崴了|摔伤|"
    r"受伤|外伤|脑梗|脑梗塞|脑梗死|中风|卒中|脑出血|脑溢血|心梗|放环|上环|取环|流产|引产|清宫|人流|移植"
)
PUERPERIUM_DAYS = 42
# An abortion or a miscarriage treated by the hospital (not a threatened or a recurrent one, which are pregnancy words).
ABORTION = re.compile(r"人流|人工流产|药流|药物流产|(?<!先兆)(?<!习惯性)(?<!复发性)(?<!防止)(?<!预防)流产|清宫|刮宫|引产")
_DONE_BEFORE = re.compile(r"(做过|有过|以前|之前|曾经|去年|前年|[\d几]次)[^，。]{0,3}$")
OLD_EVENT_DAYS = 42
# Long-standing illnesses whose years a message gives as background ("糖尿病十年了，肚子疼两天"), besides the diseases the
# lexicon names: a duration of at least CHRONIC_DAYS after one dates the illness, not the complaint of the message.
CHRONIC_ILLNESS = re.compile(
    r"糖尿病|高血压|冠心病|心脏病|房颤|哮喘|慢阻肺|慢支|慢性[^，。\d]{1,6}?(炎|病)|胃病|胃炎|肝炎|乙肝|大三阳|小三阳|肝硬化|"
    r"肾病|肾炎|尿毒症|甲亢|甲减|桥本|痛风|类风湿|风湿|红斑狼疮|癫痫|鼻炎|帕金森|抑郁症|焦虑症|银屑病|牛皮癣|"
    r"前列腺增生|颈椎病|腰椎间盘突出|腰突|痔疮|结石|心衰|肺气肿|贫血"
)
CHRONIC_DAYS = 90
_BEFORE_GAP = re.compile(r"^[^，,。；;！!？?]{0,4}$")
# Bare complaint words the lexicon does not read alone ("骨折后疼了三天"): a duration after one is the complaint's.
_COMPLAINT_WORD = re.compile(r"疼|痛|肿|痒|麻|酸|胀|出血|流血|咳|烧|吐|拉肚子|晕|难受|不舒服")


@dataclass(frozen=True)
class Duration:
    start: int
    end: int
    days: float


def event_dates(text: str, durations: list[Duration],
                symptom_spans: list[tuple[int, int]]) -> dict[Duration, tuple[int, int]]:
    """The durations that date a life event, each with the span of the event."""
    dated: dict[Duration, tuple[int, int]] = {}
    for duration in durations:
        left, right = clause_bounds(text, duration.start, duration.end)
        events = [m.span() for m in LIFE_EVENT.finditer(text, left, right)]
        before = max((e for e in events if e[1] <= duration.start), default=None, key=lambda e: e[1])
        if before and not _symptom_between(text, symptom_spans, before[1], duration.start):
            dated[duration] = before
            continue
        if text.startswith("前", duration.end):
            after = min((e for e in events if e[0] > duration.end), default=None)
            if after and _BEFORE_GAP.match(text[duration.end + 1 : after[0]]) and not _symptom_between(
                text, symptom_spans, duration.end, after[0]
            ):
                dated[duration] = after
    return dated


def illness_dates(text: str, durations: list[Duration], symptom_spans: list[tuple[int, int]],
                  disease_spans: list[tuple[int, int]]) -> set[Duration]:
    """The durations of CHRONIC_DAYS or more that date a long-standing illness named before them in their clause, with
    no complaint in between ("糖尿病十年了", "高血压二十年"; the lexicon's diseases count too): how long the patient has
    had the illness, which says nothing about how long today's complaint has lasted."""
    dated = set()
    for duration in durations:
        if duration.days < CHRONIC_DAYS:
            continue
        left, _ = clause_bounds(text, duration.start, duration.end)
        illnesses = [m.span() for m in CHRONIC_ILLNESS.finditer(text, left, duration.start)]
        illnesses += [s for s in disease_spans if left <= s[0] and s[1] <= duration.start]
        last = max(illnesses, default=None, key=lambda span: span[1])
        if last and not _symptom_between(text, symptom_spans, last[1], duration.start):
            dated.add(duration)
    return dated


def days_since_birth(text: str, dated: dict[Duration, tuple[int, int]]) -> float | None:
    """How long ago the patient gave birth, when a duration dates it ("产后3天", "生完孩子5天", "半年前生的孩子")."""
    days = [d.days for d, (start, end) in dated.items() if BIRTH.match(text, start)]
    return min(days, default=None)


def recent_abortion(text: str, dated: dict[Duration, tuple[int, int]]) -> tuple[bool, float | None]:
    """Whether the message tells of an abortion within the last six weeks, and how many days back when a duration dates
    it ("做完人流第10天了" → 10): an undated one ("人流后还在出血") counts as recent, one told as done before ("以前做过
    人流") or dated beyond six weeks does not."""
    days = [d.days for d, (start, _) in dated.items() if ABORTION.match(text, start)]
    if days:
        return min(days) <= OLD_EVENT_DAYS, min(days)
    undated = [m for m in ABORTION.finditer(text) if not _DONE_BEFORE.search(text, 0, m.start())]
    return bool(undated), None


def days_since(text: str, start: int, end: int, dated: dict[Duration, tuple[int, int]]) -> float | None:
    """How long ago the event mentioned at text[start:end] happened, when a duration of its clause dates it or a later
    event of the same clause ("手腕骨折打钢板半年了": the plate dates the fracture)."""
    left, right = clause_bounds(text, start, end)
    for duration, (event_start, _) in dated.items():
        if left <= duration.start < right and event_start >= start and (event_start < end or duration.start >= end):
            return duration.days
    return None


def _symptom_between(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> bool:
    return any(lo <= s and e <= hi for s, e in spans) or bool(_COMPLAINT_WORD.search(text, lo, hi))
