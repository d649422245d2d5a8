"""Numbers in a normalised message: temperature, how long it has lasted, the patient's age, pregnancy week, severity."""

import re
from collections.abc import Collection

from yiyun.triage.timeline import BIRTH, Duration

_TEMPERATURE = re.compile(
    r"(?:体温|烧到|烧了?|发烧|发热|量了?|温度|高烧|低烧|最高|到了|烧|度数)?[^\d，。]{0,3}?"
    r"(3[5-9]|4[0-2])(?:\.(\d)|度(\d)(?!\d)|度半)?(?:多)?(?:度|°|摄氏度)?"
)
_TEMPERATURE_CONTEXT = re.compile(r"体温|烧|发热|温度|量|度|摸着|烫")
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?|半|几|十几|好几|\d+-\d+)(?:个)?(多|半)?(?:个)?(天|日|周|星期|礼拜|个月|月|年|小时|钟头|分钟)(多|半)?"
)
_DURATION_WORDS = {"半天": 0.5, "一整天": 1, "一天": 1, "昨天": 1, "前天": 2, "今天": 0.5, "今早": 0.3, "刚才": 0.05,
                   "刚刚": 0.05, "一直": None, "好久": 30, "很久": 30, "多年": 730, "好几年": 1095, "几年": 1095,
                   "一阵子": 14, "最近": 7, "这几天": 3, "这两天": 2, "一周": 7, "一个星期": 7}
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "个月": 30, "月": 30, "年": 365, "小时": 1 / 24,
              "钟头": 1 / 24, "分钟": 1 / 1440}
_SUBJECT = r"(?:宝宝|宝贝|孩子|小孩|婴儿|儿子|女儿|闺女|小儿|患儿|女孩|男孩|娃|男宝|女宝|新生儿|小女|小男孩|小女孩)"
_PREGNANCY_WEEK = re.compile(r"(?:怀孕|孕|妊娠)(\d{1,2})(?:\+\d)?(?:周|w)|(?:怀孕|孕)(\d{1,2})(?:个)?(?:多)?月")
# Late in pregnancy women often give the week alone ("我现在34周", "我36周了"): a week from 20 on, said of oneself, is a
# gestational week (a cough or a pain is not measured in dozens of weeks, and a baby's age is given in months).
# The message may also open with it ("34周了，胎动好像没了").
_OWN_WEEK_LATE_PREGNANCY = re.compile(r"(?:我|^)(?:现在|已经|目前|都)*(\d{2})(?:\+\d)?(?:周|w)(?![岁内])")
_FREQUENCY = re.compile(r"[\d一二两三四五六七八九十几]+(?:[到至-][\d一二两三四五六七八九十几]+)?次")
_SEVERE = re.compile(r"剧烈|厉害|受不了|要命|非常|特别|严重|很疼|很痛|难受死|剧痛")
_MILD = re.compile(r"有点|有些|轻微|稍微|一点|偶尔|不太|不严重|还好")
_PAIN_SCORE = re.compile(r"(?:疼痛|痛|疼)[^，。]{0,4}?(\d{1,2})分|(\d{1,2})分[^，。]{0,2}(?:疼|痛)")


def temperature(text: str) -> float | None:
    """Highest body temperature mentioned ("烧到39度5" → 39.5, "38.5" → 38.5), if any."""
    best = None
    for match in _TEMPERATURE.finditer(text):
        whole = int(match.group(1))
        decimal = match.group(2) or match.group(3)
        value = whole + (int(decimal) / 10 if decimal else 0.5 if "度半" in match.group(0) else 0)
        window = text[max(0, match.start() - 6) : match.end() + 2]
        if not _TEMPERATURE_CONTEXT.search(window) and not match.group(2):
            continue
        if re.match(r"\d", text[match.end() : match.end() + 1] or "x"):
            continue
        if re.search(r"(周|岁|天|个月|斤|公斤|kg|次|分)$", text[match.end() : match.end() + 2]):
            continue
        best = value if best is None else max(best, value)
    return best


# 大 says an age ("7个月大", "2个月大小的宝宝", "20天大便稀" of a newborn), not the start of 大概 / 大约 before a count ("1天大概3次"),
# nor of 大便 after a word that makes the number a duration ("这2个月大便不成形", "已经3天大便没拉").
_BIG = r"大(?![部多量姨号]|小便)"
_DURATION_BEFORE = re.compile(r"(这|近|最近|已经|前|有|都|快|好|连续|这几|了|第|每|一般|才|只|我|他|她|人|老人|爸|妈|爷|奶|，|,)$")


# The number names the baby's age when it follows the baby or the birth directly ("宝宝只有25天大便稀", "出生第20天").
_BABY_BEFORE = re.compile(
    r"(宝宝|婴儿|新生儿|孩子|小孩|男宝|女宝)(只有|才|快|差不多|刚|刚满|满了?)?$|(宝宝|婴儿|新生儿)(都|有)$|(出生|生下来)(第|才)?$"
)


def _big_is_age(text: str, number_start: int, big: int) -> bool:
    """The 大 at text[big], after the number starting at number_start, says an age."""
    if (_BABY_BEFORE.search(text, max(0, number_start - 10), number_start) and re.match(r"大[便概约]", text[big:])
            and not re.match(r"大便[^，。]{0,2}(没|不)", text[big:])):  # "宝宝都4天大便没拉了" is how long
        return True  # "宝宝出生第20天大便有血丝", "宝宝快2个月大便稀": a baby's age in days or months
    if re.match(r"大[概约][^，。]{0,3}[\d几两]|大便[^，。]{0,3}([\d几两]+|一)次", text[big:]):
        return False  # "1天大概3-5次", "1天大便3次"; but "7个月大概会坐了" is an age
    if not re.match(_BIG, text[big:]):
        return False
    return not (text.startswith("大便", big) and _DURATION_BEFORE.search(text, 0, number_start))


def durations(text: str) -> list[Duration]:
    """Every stated duration, in days ("3天" → 3, "1个多月" → 30, "半年" → 182), except ages and pregnancy weeks."""
    weeks = [m.span() for m in _PREGNANCY_WEEK.finditer(text)]
    weeks += [m.span() for m in _OWN_WEEK_LATE_PREGNANCY.finditer(text) if 20 <= int(m.group(1)) <= 42]
    found = []
    for match in _DURATION.finditer(text):
        number, more_before, unit, more_after = match.groups()
        following = text[match.end() : match.end() + 3]
        if (following.startswith("大") and _big_is_age(text, match.start(), match.end())) or re.match(
            r"(的宝宝|的孩子|的婴儿)", following
        ) or "岁" in following[:1]:
            continue  # an age ("7个月大的宝宝"), not a duration
        preceding = text[max(0, match.start() - 4) : match.start()]
        if re.search(r"(孕|怀孕|岁|出生|" + _SUBJECT + r"(?:今年|现在|才|刚|已经|满|刚满)*)$", preceding) and not (
            BIRTH.search(text, max(0, match.start() - 8), match.start())
        ):
            continue  # an age ("孩子3个月"), unless it dates the birth ("生完孩子5天")
        if _FREQUENCY.match(text, match.end()) or text[max(0, match.start() - 1) : match.start()] == "每":
            continue  # how often ("1天两三次", "每3天"), not how long
        if any(start < match.end() and match.start() < end for start, end in weeks):
            continue  # "我现在34周": how far the pregnancy is, not how long a symptom has lasted
        if number == "半":
            value = 0.5
        elif number in ("几", "好几"):
            value = 3
        elif number == "十几":
            value = 15
        elif "-" in number:
            value = float(number.split("-")[1])
        else:
            value = float(number)
        if "半" in (more_before or "") + (more_after or ""):
            value += 0.5
        found.append(Duration(match.start(), match.end(), value * _UNIT_DAYS[unit]))
    return found


# Words that say a complaint is recent without saying how long it has lasted ("最近胃疼" may be days or weeks): their
# value keeps home care out (more than 3 days) but is no stated length for a rule with a window (abdominal pain of 1-14 days).
VAGUE_DURATION_WORDS = frozenset({"最近", "一阵子"})


def duration_word(text: str) -> str | None:
    """The duration word that `duration_days` falls back on when no duration is stated."""
    return next((w for w, days in _DURATION_WORDS.items() if days is not None and w in text), None)


def duration_days(text: str, *, found: list[Duration] | None = None, skip: Collection[Duration] = ()) -> float | None:
    """How long the complaint has lasted, in days: the longest stated duration (`found`, default `durations(text)`)
    not in `skip` (durations that date a life event, see yiyun.triage.timeline), else a duration word ("这两天" → 2,
    "最近" → 7)."""
    found = durations(text) if found is None else found
    best = max((d.days for d in found if d not in skip), default=None)
    word = duration_word(text) if best is None else None
    return _DURATION_WORDS[word] if word else best


CHILD_MAX_AGE = 14  # younger than this is a child: paediatrics

# "女，35，…" / "男 28，…": the sex and a bare number at the very start are the writer's own sex and age.
_SEX_THEN_AGE = re.compile(r"^(?:男|女)(?:生|性|士)?[,， ]*(\d{1,2})(?:周岁|岁)?(?=[,，。 ]|$)")
_YEARS = re.compile(r"(\d+(?:\.\d+)?)(?:周岁|岁)(半)?(?:零?(\d+)(?:个)?月)?")
_SUBJECT_AGE = re.compile(
    _SUBJECT + r"(?:今年|今天|现在|目前|才|刚|已经|满|出生|刚满|男|女|男孩|女孩|,|，| )*"
    r"(\d+(?:\.\d+)?)(周|个半月|个多月|个月|月(?!\d+[日号])|天)(半|[\d一二三四五六七八九十]+(?:个月)?)?"
)
_MONTHS = re.compile(r"(\d+)(?:个)?(半)?月(?:龄|(?P<big>大)|零|的宝宝|的孩子|的婴儿|宝宝|婴儿|男宝|女宝)")
_DAYS = re.compile(r"(?:出生|生下来|刚生|才出生|出生才)(\d+)(天|周|个月)|(\d+)(天|周)(?:(?P<big>大)|的宝宝|的婴儿|的孩子|宝宝|婴儿)")
# 满月 as an age ("刚满月", "还没满月", "满月的宝宝"); "满月脸", "脸圆得像满月一样" describe a face.
_NEWBORN = re.compile(r"新生儿|刚出生|(刚|没|未|才|过了?|出)满月|满月(了|的|后|宝宝|婴儿|孩子|左右|不久|没多久|时)")
_CN_SMALL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "半": 6}


def age_years(text: str) -> float | None:
    """The age stated in the message ("孩子3岁" → 3, "宝宝7个月" → 0.58, "出生20天" → 0.05, "2周10个月" → 2.8).

    In parents' Chinese "宝宝2周" / "1周2个月" / "1周八" mean years (周岁), while "出生2周" / "3周大" mean weeks."""
    match = _SEX_THEN_AGE.match(text)
    if match:  # "女，28，宝宝2个月，发烧": the writer's own age gives way to the child's she goes on to name
        named = age_years(text[match.end() :])
        return named if named is not None else float(match.group(1))
    match = _YEARS.search(text)
    if match:
        years = float(match.group(1)) + (0.5 if match.group(2) else 0) + (int(match.group(3)) / 12 if match.group(3) else 0)
        return years if years <= 110 else None
    match = _first_age(_DAYS, text)
    if match:
        if match.group(1):
            return _to_years(float(match.group(1)), match.group(2))
        return _to_years(float(match.group(3)), match.group(4))
    match = _SUBJECT_AGE.search(text)
    if match:
        number, unit, rest = float(match.group(1)), match.group(2), match.group(3)
        following = text[match.end(2) : match.end(2) + 1]
        if unit == "周":
            if following in ("前", "后", "内", "大") or number > 6:
                return number / 52 if following == "大" else None
            months = 0.0
            if rest:
                months = 6 if rest == "半" else float(rest.removesuffix("个月")) if rest[0].isdigit() else _CN_SMALL.get(rest[0], 0)
            return number + months / 12
        if unit == "天":
            return number / 365
        return (number + (0.5 if "半" in unit else 0)) / 12
    match = _first_age(_MONTHS, text)
    if match:
        return (float(match.group(1)) + (0.5 if match.group(2) else 0)) / 12
    if _NEWBORN.search(text):
        return 1 / 12
    return None


def _first_age(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first match that is an age, passing over a 大 that is not one ("这2个月大便不成形")."""
    for match in pattern.finditer(text):
        if match.group("big") is None or _big_is_age(text, match.start(), match.start("big")):
            return match
    return None


def _to_years(value: float, unit: str) -> float:
    if unit in ("个月", "月"):
        return value / 12
    if unit == "天":
        return value / 365
    if unit in ("周", "星期"):
        return value / 52
    return value


def pregnancy_week(text: str) -> int | None:
    match = _PREGNANCY_WEEK.search(text)
    if not match:
        own = _OWN_WEEK_LATE_PREGNANCY.search(text)
        return int(own.group(1)) if own and 20 <= int(own.group(1)) <= 42 else None
    if match.group(1):
        return int(match.group(1))
    return int(match.group(2)) * 4 + 2


def severity(text: str) -> str | None:
    """"severe", "mild" or None, from the words used and any pain score."""
    score = _PAIN_SCORE.search(text)
    if score:
        value = int(score.group(1) or score.group(2))
        if value <= 10:
            return "severe" if value >= 7 else "moderate" if value >= 4 else "mild"
    if _SEVERE.search(text):
        return "severe"
    if _MILD.search(text):
        return "mild"
    return None
