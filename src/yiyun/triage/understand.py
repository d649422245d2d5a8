"""Reading one patient message: the symptoms, cues and diseases it names (with negation), and its numbers."""

import re
from dataclasses import dataclass, field, replace

from yiyun.triage import quantities, timeline
from yiyun.triage.lexicon import CUE, DISEASE, KB_SYMPTOM, SYMPTOM, Lexicon, Match
from yiyun.triage.normalize import normalize, spaces_as_commas
from yiyun.triage.polarity import (
    HISTORY,
    HYPOTHETICAL,
    NEGATED,
    PRESENT,
    RESOLVED,
    clause_bounds,
    found_well_on_check,
    guessed_pregnancy,
    polarity,
)

_FEMALE_SUBJECT = re.compile(r"我老婆|老婆|媳妇|妻子|爱人怀孕|我妈|妈妈|母亲|女儿|闺女|女孩|女宝|奶奶|外婆|姥姥|婆婆|岳母|女朋友|女友|本人女|我是女|女性|^女(?:生|士|孩子|的)?(?:[,， ]|\d)|女生[,，]|(\d+岁)?女[,，]")
_MALE_SUBJECT = re.compile(r"我老公|老公|丈夫|我爸|爸爸|父亲|儿子|男孩|男宝|爷爷|外公|姥爷|公公|岳父|男朋友|男友|本人男|我是男|男性|^男(?:生|士|孩子|的)?(?:[,， ]|\d)|男生[,，]|(\d+岁)?男[,，]")
# A relative named with their own life ("孩子上初中", "儿子在外地工作") is background when the writer then speaks of
# herself in the first person ("平时顾不上自己", "我自己也…"); "孩子上小学，自己说肚子疼" is still about the child.
_FAMILY_LIFE = re.compile(
    r"(又|也|都|还|已经|正)?(在)?(上小学|上初中|上高中|上大学|读初中|读高中|读大学|准备中考|准备高考|中考|高考|考大学|"
    r"上班|工作了|在外地|不在身边|结婚|成家|都大了|长大了)"
)
_WRITER_HERSELF = re.compile(r"我自己|顾不上自己|顾不上我自己|我本人")
# "和老公一起查": the husband comes along, he is not the patient; "陪我妈来", "带着女儿来看" name the patient.
_COMPANY = re.compile(r"(和|跟|同)$")
_TOGETHER_AFTER = re.compile(r"[^，。？！,.?!]{0,2}(一起|一块)")
# "老公说我打呼噜", "我妈嫌我", "老婆陪我来": the relative tells of or comes with the writer, who is the patient; so does
# a spouse checked and found well ("老婆查了都正常，我想去查精液"). A spouse who does so says the writer's sex: the other.
_HOW_OFTEN = r"(总|老|一直|也|都|就)?"
_OBSERVER_AFTER = re.compile(_HOW_OFTEN + r"(说|讲|觉得|嫌|发现|陪|带)我(?![爸妈儿女老孩家婆公爷奶外哥姐弟妹闺媳宝们])")
_SPOUSE_CHECKED_WELL_AFTER = re.compile(
    r"(查了|查过|检查了|检查过|都查了)[^，。？！,.?!]{0,4}(都|也)?(正常|没问题|没毛病|没事)[，,]?(我|那我|现在我)"
)
# "儿子嫌我唠叨，一直咳嗽也不肯吃药": a relative cross with the writer's worry is the patient who will not go, unless the
# writer goes on about themself ("老公说我大惊小怪，可我胸口疼"); a spouse so named never gives the writer's sex.
_WRITER_GOES_ON = re.compile(r"[，,。！!？?]\s*(可|但|但是|可是|其实)我(?!们)|验孕|测孕")
_ATTITUDE_AFTER = re.compile(
    _HOW_OFTEN + r"(嫌|说|觉得)我(烦|大惊小怪|多事|唠叨|啰嗦|小题大做|管(得)?太多|瞎操心|想太多|太紧张|偏心|不懂|不听)"
)
# ... unless the relative is then told of as the patient ("老公觉得我大惊小怪，他胸口疼", "儿子嫌我烦，他最近发烧").
_RELATIVE_AS_PATIENT_AFTER = re.compile(
    r"[，,。！!？?]\s*[^，,。！!？?]{0,4}(?<!其)(他|她)(?!们|说|觉得|嫌)|给(他|她)(?!们)|(?<!其)(他|她)(的)?[^，。！？]{0,4}"
    r"(疼|痛|发烧|发热|咳|吐|拉肚子|晕|出血|流血|肿|痒|不舒服|难受|病了)"
)
# A child only comes with the writer: "孩子嫌我烦，发烧39度手脚冰凉" is about the child. A grown-up son or daughter who
# tells of the writer ("女儿说我胸口疼出冷汗") is then read as a child: the flags still fire, the departments are
# paediatric, the safer of the two mistakes.
_CHILD_WORD = re.compile(r"宝宝|宝贝|婴儿|小宝|娃|孩子|儿子|女儿|闺女|小孩")
_COMES_WITH = re.compile(_HOW_OFTEN + r"(陪|带)我")
_HUSBAND = re.compile(r"老公|丈夫|男朋友|男友")
_WIFE = re.compile(r"老婆|(?<![儿孙])媳妇|妻子|女朋友|女友")
_SPOUSE_WORD = re.compile(rf"(我)?({_HUSBAND.pattern}|{_WIFE.pattern}|爱人)")
_SET_ASIDE = re.compile(r"(这个|这些|的事)?(先放一放|先放一边|先放放|先不管|先不说|先不提|以后再说|回头再说|暂且不提|暂时不管)")
# "腰有点酸，胃口一般，最主要的是同房以后出血", "这些都不说了，主要是…": the one complaint the writer singles out.
_ASKING_INSTEAD = re.compile(
    r"(不过|但是?|可是)(我)?(主要|真正|其实)?想问的?是|(今天|这次)?主要(想)?问的?是|最主要的?是|最重要的是|"
    r"(这些|别的|其他|其它)(都)?(不说了|不算啥|不算什么|还好|无所谓|先不说)[，,]?(主要是)?"
)
_PREGNANCY_TEST = re.compile(r"验孕(棒|纸|试纸)?|测孕|早孕试纸")
_NEGATIVE_TEST = re.compile(r"[^，。？！,.?!]{0,4}(一条杠|一道杠|1条杠|1道杠|单杠|一条线|1条线|阴性|没怀|没有怀|是白板)")
# A wrong guess names what it is not, just after 以为是 ("以为是颈椎不好", "以为孩子是感冒"): it does not choose the
# department, but like a complaint put aside it still counts for the care level ("以为是扭伤，脚肿得不能走" may be a
# fracture). In "以为胸口疼是岔气" the chest pain is the complaint and only 岔气 the guess.
_WRONG_GUESS_BEFORE = re.compile(r"以为(我|自己|他|她|孩子是|宝宝是)?(是|得了|只是|就是)?[^，。；！？]{0,2}$")
# ... unless what follows says it was real: "以为胸口疼是岔气", "以为牙疼忍忍就好".
_GUESS_FOLLOWS = re.compile(r"[^，。；！？]{0,3}是|[^，。；！？]{0,8}(忍忍|就好|会好|能好|自己好|就过去|休息|吃点药|过几天)")
_POSITIVE_TEST = re.compile(r"两条|2条|两道|2道|二条|深|浅|淡|弱阳|(?<!阴)阳性|怀上了|怀孕了")
_OTHER_PERSON_ROLE = re.compile(r"(给|跟|和|带|抱|生完|生了|生|喂|怀|陪|哄|接|送|照顾|看)$")
# One-off events that a duration can date. A birth after the 42-day puerperium ("产后三个月") is past history: no
# pregnancy context, no 产科 vote. An injury dated more than 6 weeks back ("骨折打钢板半年了") is an old injury: it still
# names the organ (骨科) but is no fresh fracture to see today.
INJURIES = ("骨折", "扭伤", "外伤")
_BIRTH_CUE = "孕产"
_DIABETES = re.compile(r"糖尿病|血糖(高|升高|偏高|特别高)|胰岛素|降糖药|二甲双胍")


@dataclass
class Mention:
    """One lexicon match with its polarity in the message."""

    surface: str
    kind: str
    key: str
    polarity: str
    start: int
    departments: tuple[tuple[str, float], ...] = ()
    sex: str = ""
    age: str = ""
    set_aside: bool = False  # put aside ("腰有点酸先不管") or a wrong guess ("以为是颈椎不好"): no department vote, still
    # counts for the care level


@dataclass
class Reading:
    """Everything the engine takes from one message."""

    text: str
    flag_text: str = ""  # the same message with typed spaces kept: the red flags read both, the care rules this one
    mentions: list[Mention] = field(default_factory=list)
    temperature: float | None = None
    duration_days: float | None = None
    duration_vague: bool = False  # the duration is only a word such as 最近 (see quantities.VAGUE_DURATION_WORDS)
    age_years: float | None = None
    pregnancy_week: int | None = None
    severity: str | None = None
    sex: str | None = None
    diabetes: bool = False
    pregnancy_doubted: bool = False  # "验孕一条杠", "以为怀孕了": routed as not pregnant; the red flags still allow one
    days_since_birth: float | None = None  # "产后3天", "生完孩子半年了"
    recent_abortion: bool = False  # an abortion within six weeks, dated or not ("做完人流第10天了", "药流后")
    days_since_abortion: float | None = None
    history_days: float | None = None  # the longest duration that dates a life event ("手术后一年多了")
    old_injuries: frozenset[str] = frozenset()  # injury concepts dated more than 6 weeks back ("骨折打钢板半年了")
    fresh_injuries: frozenset[str] = frozenset()  # injury concepts said without such a date

    def symptoms(self) -> dict[str, str]:
        """Curated symptom concepts: "yes" when present, "no" when negated or resolved (present wins)."""
        found: dict[str, str] = {}
        for mention in self.mentions:
            if mention.kind != SYMPTOM:
                continue
            if mention.polarity == PRESENT:
                found[mention.key] = "yes"
            elif mention.polarity in (NEGATED, RESOLVED):
                found.setdefault(mention.key, "no")
        return found

    def present(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind and m.polarity == PRESENT]

    def cue_names(self) -> set[str]:
        return {m.key for m in self.present(CUE)}

    def subject_cue_names(self) -> set[str]:
        """Cues that say who the patient is; "给孩子喂奶" is about the mother, not the child, in "孩子上初中，
        平时顾不上自己" the child is family the writer tells of before her own complaint, and in "我妈说我…" the
        mother only tells of the writer."""
        return {
            m.key
            for m in self.present(CUE)
            if not _OTHER_PERSON_ROLE.search(self.text[max(0, m.start - 3) : m.start])
            and not self._family_background(m)
            and not (self.observer(m) and m.surface != "老伴")  # "老伴说我…": the writer is old too
        }

    def observer(self, mention: Mention) -> bool:
        """A relative who tells of or comes with the writer ("我妈说我脖子变粗了", "孩子带我上医院"): not the patient."""
        return observes_writer(self.text, mention.start, mention.start + len(mention.surface))

    def _family_background(self, mention: Mention) -> bool:
        """A relative told of with their own life before the writer's own complaint ("孩子上初中，…顾不上自己")."""
        after = mention.start + len(mention.surface)
        return bool(_FAMILY_LIFE.match(self.text, after) and _WRITER_HERSELF.search(self.text, after))


def read_message(message: str, lexicon: Lexicon) -> Reading:
    flag_text = normalize(message)
    text = spaces_as_commas(flag_text)
    matches = lexicon.scan(text)
    spans = [(m.start, m.end) for m in matches]
    mentions = []
    aside = _set_aside_spans(text, matches)
    for match in matches:
        state = polarity(text, match.start, match.end, other_terms=[s for s in spans if s[1] <= match.start])
        found = _mentions(match, state, text)
        guessed = _guessed(text, match.start, match.end) and not any(e.key in INJURIES for e in match.entries)
        if guessed or any(lo <= match.start and match.end <= hi for lo, hi in aside):
            people = {e.key for e in match.entries if e.person}
            found = [m if m.kind == CUE and m.key in people else replace(m, set_aside=True) for m in found]
        mentions.extend(found)
    symptom_spans = [_span(m) for m in mentions if m.kind in (SYMPTOM, KB_SYMPTOM)]
    found = quantities.durations(text)
    dated = timeline.event_dates(text, found, symptom_spans)
    mentions = [_birth_as_history(m, text, dated) for m in mentions]
    injuries = [m for m in mentions if m.key in INJURIES and m.polarity == PRESENT]
    old = {m.key for m in injuries if _dated_beyond(m, text, dated, timeline.OLD_EVENT_DAYS)}
    fresh = {m.key for m in injuries} - old
    temperature = quantities.temperature(text)
    abortion, days_since_abortion = timeline.recent_abortion(text, dated)
    not_the_complaints = _not_the_complaints(text, found, dated, symptom_spans, mentions)
    return Reading(
        text=text,
        flag_text=flag_text,
        mentions=mentions,
        temperature=temperature,
        duration_days=quantities.duration_days(text, found=found, skip=not_the_complaints),
        duration_vague=all(d in not_the_complaints for d in found)
        and quantities.duration_word(text) in quantities.VAGUE_DURATION_WORDS,
        age_years=quantities.age_years(text),
        pregnancy_week=quantities.pregnancy_week(text),
        severity=quantities.severity(text),
        sex=_sex(text),
        pregnancy_doubted=any(
            m.key == _BIRTH_CUE
            and ((m.polarity == NEGATED and _PREGNANCY_TEST.fullmatch(m.surface))
                 or (m.polarity == HYPOTHETICAL and guessed_pregnancy(text, m.start)))
            for m in mentions
        ),
        diabetes=bool(_DIABETES.search(text)) and not re.search(r"(没有|没|无|不是)(糖尿病|血糖)", text),
        days_since_birth=timeline.days_since_birth(text, dated),
        recent_abortion=abortion,
        days_since_abortion=days_since_abortion,
        history_days=max((d.days for d in dated), default=None),
        old_injuries=frozenset(old),
        fresh_injuries=frozenset(fresh),
    )


def _not_the_complaints(text: str, found, dated, symptom_spans, mentions) -> set:
    """Stated durations that are not how long the complaint has lasted: those dating a life event, always; those dating
    a long-standing illness ("糖尿病十年了，肚子疼两天"), when another duration is stated, which is the complaint's own."""
    illness = timeline.illness_dates(text, found, symptom_spans, [_span(m) for m in mentions if m.kind == DISEASE])
    own = [d for d in found if d not in dated and d not in illness]
    return set(dated) | (illness if own else set())


def _guessed(text: str, start: int, end: int) -> bool:
    """text[start:end] is what the writer wrongly guessed ("以为是颈椎不好", "以为我感冒了"), not what the guess was about
    ("以为胸口疼是岔气": the chest pain is real)."""
    return ("以为" in text and bool(_WRONG_GUESS_BEFORE.search(text, max(0, start - 12), start))
            and not _GUESS_FOLLOWS.match(text, end))


def _set_aside_spans(text: str, matches) -> list[tuple[int, int]]:
    """What the writer puts aside: the clause that says so ("腰有点酸先不管", "最近老失眠这个先放一放", or the clause before
    a bare "，先不管，"), or everything before "不过想问的是". It does not choose the department but still counts for the
    care level; who the patient is never goes; and only when something is asked after it ("发烧3天了，不过想问的是挂
    什么科" keeps the fever for the department)."""
    spans = []
    for marker in _SET_ASIDE.finditer(text):
        left = clause_bounds(text, marker.start(), marker.end())[0]
        if not text[left : marker.start()].strip() and left > 0:
            left = clause_bounds(text, left - 1, left - 1)[0]
        spans.append((left, marker.start(), marker.end()))
    spans += [(0, marker.start(), marker.end()) for marker in _ASKING_INSTEAD.finditer(text)]
    asked_after = [m.start for m in matches if not all(e.person for e in m.entries)]
    return [(lo, hi) for lo, hi, end in spans if any(start >= end for start in asked_after)]


def _span(mention: Mention) -> tuple[int, int]:
    return mention.start, mention.start + len(mention.surface)


def _birth_as_history(mention: Mention, text: str, dated) -> Mention:
    """A birth that a duration of its clause puts beyond the puerperium is past history."""
    if (mention.polarity == PRESENT and mention.kind == CUE and mention.key == _BIRTH_CUE
            and timeline.BIRTH.fullmatch(mention.surface)
            and _dated_beyond(mention, text, dated, timeline.PUERPERIUM_DAYS)):
        return replace(mention, polarity=HISTORY)
    return mention


def _dated_beyond(mention: Mention, text: str, dated, limit: float) -> bool:
    days = timeline.days_since(text, *_span(mention), dated)
    return days is not None and days > limit


def _mentions(match: Match, state: str, text: str) -> list[Mention]:
    """The lexicon entries of one match; a body-part or test cue checked and found well ("查过心脏没毛病") is negated,
    and a person or situation cue is not over when the complaint told with it is."""
    out, kinds = [], set()
    cue_state = state
    if (state == PRESENT and any(e.kind == CUE and not e.person for e in match.entries)
            and found_well_on_check(text, match.start, match.end)):
        cue_state = NEGATED  # an organ or test checked and found well; a pregnancy checked well is still a pregnancy
    if state == PRESENT and _negative_pregnancy_test(text, match.surface, match.end):
        cue_state = NEGATED  # "验孕一条杠": not pregnant (the red flags still take her as possibly pregnant)
    for entry in match.entries:
        if entry.kind in (DISEASE, KB_SYMPTOM) and kinds & {SYMPTOM, CUE}:
            continue
        kinds.add(entry.kind)
        polarity_here = cue_state if entry.kind == CUE else state
        if entry.person and polarity_here == RESOLVED:
            polarity_here = PRESENT  # "宝宝前天发热，吃了药退了": the fever is over, not the baby
        out.append(
            Mention(match.surface, entry.kind, entry.key, polarity_here, match.start, entry.departments, entry.sex, entry.age)
        )
    return out


def _negative_pregnancy_test(text: str, surface: str, end: int) -> bool:
    """A home pregnancy test read as negative ("验孕一条杠"), with no second line or later positive ("一条线深一条线浅",
    "前几天一条杠，今天两条杠了")."""
    return bool(_PREGNANCY_TEST.fullmatch(surface) and _NEGATIVE_TEST.match(text, end)
                and not _POSITIVE_TEST.search(text, end))


def _subject(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first person the pattern names who is the patient: not someone coming along ("和老公一起查"), and not the
    writer's own sex at the start when she goes on to name a child ("女，28，宝宝2个月，发烧")."""
    for match in pattern.finditer(text):
        if _COMPANY.search(text, 0, match.start()) and _TOGETHER_AFTER.match(text, match.end()):
            continue
        if match.start() == 0 and _writes_for_a_child(text[match.end() :]):
            continue
        if observes_writer(text, match.start(), match.end()):
            continue
        return match
    return None


def observes_writer(text: str, start: int, end: int) -> bool:
    """The relative named at text[start:end] tells of or comes with the writer, and is not told of as the patient. A
    child only comes with the writer: "宝宝发现我不在就哭，今天发烧" is about the baby."""
    observed = _OBSERVER_AFTER.match(text, end)
    if not observed and _SPOUSE_WORD.fullmatch(text, start, end):
        observed = _SPOUSE_CHECKED_WELL_AFTER.match(text, end)  # "老婆查了都正常，我想去查精液"
    if not observed or _RELATIVE_AS_PATIENT_AFTER.search(text, end):
        return False
    if _ATTITUDE_AFTER.match(text, end) and not _WRITER_GOES_ON.search(text, end):
        return False  # "儿子嫌我唠叨，一直咳嗽也不肯吃药": the son is the patient; "…，可我胸口疼": the writer
    return not _CHILD_WORD.search(text, start, end) or bool(_COMES_WITH.match(observed.group(0)))


def _observing_spouse_says_sex(text: str) -> str | None:
    """The writer's sex from a spouse who tells of or comes with them ("老公说我…": a woman). Not from one cross with the
    writer's worry ("老婆嫌我烦，月经量特别多也不去医院"): either of them may be the patient, so the sex stays open."""
    for pattern, writer in ((_HUSBAND, "F"), (_WIFE, "M")):
        if any(observes_writer(text, m.start(), m.end()) and not _ATTITUDE_AFTER.match(text, m.end())
               for m in pattern.finditer(text)):
            return writer
    return None


def _writes_for_a_child(rest: str) -> bool:
    age = quantities.age_years(rest)
    return age is not None and age < quantities.CHILD_MAX_AGE


def _sex(text: str) -> str | None:
    female, male = _subject(_FEMALE_SUBJECT, text), _subject(_MALE_SUBJECT, text)
    if female and male:
        return "F" if female.start() < male.start() else "M"
    return "F" if female else "M" if male else _observing_spouse_says_sex(text)
