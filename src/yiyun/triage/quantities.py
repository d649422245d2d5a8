"""Numbers in a normalised message: temperature, how long it has lasted, the patient's age, pregnancy week, severity."""

import re

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
_AGE = re.compile(r"(\d+(?:\.\d+)?|半)(?:个)?(多|半)?(?:个)?(岁|周岁|个月|月|天|周|星期)(多|半)?(?:大|的|宝宝|孩子|婴儿|女孩|男孩|男宝|女宝|小孩|儿子|女儿)")
_SUBJECT = r"(?:宝宝|宝贝|孩子|小孩|婴儿|儿子|女儿|闺女|小儿|患儿|女孩|男孩|娃|男宝|女宝|新生儿)"
_AGE_AFTER_SUBJECT = re.compile(_SUBJECT + r"(?:今年|现在|才|刚|已经|满|出生|刚满)*(\d+(?:\.\d+)?|半)(?:个)?(多|半)?(?:个)?(岁|周岁|个月|月|天|周)(多|半)?")
_AGE_SELF = re.compile(r"(?:今年|年龄|本人|我|患者|男|女|孩子|宝宝|儿子|女儿|老人|我妈|我爸|母亲|父亲)[^，。\d]{0,3}(\d{1,3})(?:岁|周岁)")
_PLAIN_AGE = re.compile(r"(\d{1,3})岁")
_PREGNANCY_WEEK = re.compile(r"(?:怀孕|孕|妊娠)(\d{1,2})(?:\+\d)?(?:周|w)|(?:怀孕|孕)(\d{1,2})(?:个)?(?:多)?月")
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


def duration_days(text: str) -> float | None:
    """How long the complaint has lasted, in days ("3天" → 3, "1个多月" → 30, "半年" → 182)."""
    best = None
    for match in _DURATION.finditer(text):
        number, more_before, unit, more_after = match.groups()
        following = text[match.end() : match.end() + 3]
        if re.match(r"(大|的宝宝|的孩子|的婴儿)", following) or "岁" in following[:1]:
            continue  # an age ("7个月大的宝宝"), not a duration
        preceding = text[max(0, match.start() - 4) : match.start()]
        if re.search(r"(孕|怀孕|岁|出生|" + _SUBJECT + r"(?:今年|现在|才|刚|已经|满|刚满)*)$", preceding):
            continue
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
        days = value * _UNIT_DAYS[unit]
        best = days if best is None else max(best, days)
    for word, days in _DURATION_WORDS.items():
        if days is not None and word in text and best is None:
            best = days
    return best


def age_years(text: str) -> float | None:
    """The age stated in the message ("孩子3岁" → 3, "宝宝7个月" → 0.58, "出生20天" → 0.05)."""
    match = _AGE.search(text) or _AGE_AFTER_SUBJECT.search(text)
    if match:
        number, half_before, unit, half_after = match.groups()
        value = 0.5 if number == "半" else float(number)
        if "半" in (half_before or "") + (half_after or ""):
            value += 0.5
        return _to_years(value, unit)
    match = re.search(r"(?:出生|生下来|刚生|出生才|才)(\d+)(天|周|个月)", text)
    if match:
        return _to_years(float(match.group(1)), match.group(2))
    match = _AGE_SELF.search(text) or _PLAIN_AGE.search(text)
    if match:
        value = float(match.group(1))
        return value if value <= 110 else None
    if re.search(r"满月|新生儿|刚出生", text):
        return 1 / 12
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
        return None
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
