"""Text normalisation before triage: full-width to half-width, traditional to simplified, Chinese numbers to digits,
and a message written in English rewritten into Chinese (`yiyun.triage.english`).

Numbers are only converted where they count something (followed by a unit or a classifier such as 天, 个月, 岁, 度,
次, 片), so idioms like 一直, 一侧, 一点 stay as they are.
"""

import functools
import re
from pathlib import Path

import opencc

from yiyun.triage import english
from yiyun.triage.kb_files import KB_DIR, read_rows

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = "零〇一二两三四五六七八九十百"
_UNITS = r"(?:个)?(?:半|多|几|来)?(?:个)?(?:多下|天|日|周岁|周|星期|礼拜|个月|月|年|岁|小时|钟头|分钟|秒|度|次|回|片|粒|颗|斤|公斤|毫升|顿|口|遍|胎|层|楼)"
# 高三天天 / 初二天天: a school year followed by 天天 (every day), not three days; 最高三十九度 and 血糖高三年 convert.
_SCHOOL_YEAR = r"(?!(?<=[高初])[一二三]天天)"
_NUMBER_BEFORE_UNIT = re.compile(rf"{_SCHOOL_YEAR}([{_NUMERAL}]+)(?={_UNITS})")
# "怀宝宝5个月了", "怀二胎了": the mother is pregnant; the months are the pregnancy's, not a baby's age.
_CARRYING_A_CHILD = re.compile(r"怀(?:着)?(?:宝宝|宝贝|二胎|三胎|娃|小孩|孩子)(?=\d|了)")
# "疼得发抖", "气得直哆嗦": trembling as a measure of how bad the pain or the feeling is, not a tremor.
_TREMBLING_FROM = re.compile(r"([疼痛气吓急])得(?:直|浑身|全身)?(?:发抖|哆嗦|打哆嗦|打颤|颤抖)")
# 39度一 (39.1), not a word that begins with 一 (40度一直抽, 39度一下午, 38度一样, 38度一会儿).
_DEGREE_DECIMAL = re.compile(r"(\d)度([一二三四五六七八九])(?![十百个天直下样会阵整般点次晚夜早上])")


def chinese_to_int(numeral: str) -> int | None:
    """Value of a Chinese numeral up to the hundreds (三 → 3, 十五 → 15, 三十八 → 38, 一百二 → 120)."""
    if not numeral:
        return None
    if all(ch in _DIGITS for ch in numeral) and len(numeral) > 1:
        return None  # a run such as 三四 is a range, handled by the caller
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def numbers_to_digits(text: str) -> str:
    """Chinese numbers that count something as digits ("二胎" → "2胎"): messages and lexicon words read alike."""
    return _NUMBER_BEFORE_UNIT.sub(_replace_numeral, text)


def message_pattern(source: str) -> re.Pattern:
    """A regular expression written in the knowledge base, compiled to read normalised messages: its Chinese numbers
    before a unit become digits as the message's do ("这两天" → "这2天", "一口一口" → "1口1口")."""
    return re.compile(numbers_to_digits(source))


def _replace_numeral(match: re.Match) -> str:
    numeral = match.group(1)
    if len(numeral) == 2 and all(ch in _DIGITS for ch in numeral):  # 三四天 → 3-4天 (a range)
        return f"{_DIGITS[numeral[0]]}-{_DIGITS[numeral[1]]}"
    value = chinese_to_int(numeral)
    return numeral if value is None else str(value)


def to_half_width(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３，．) and the ideographic space become their half-width forms."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E and ch not in "，；：？！（）":
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def _traditional_chars() -> frozenset[str]:
    """Characters that traditional→simplified conversion changes (OpenCC's TSCharacters table)."""
    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    try:
        return frozenset(line.split("\t", 1)[0] for line in table.read_text(encoding="utf-8").splitlines() if line)
    except OSError:
        return frozenset()


def to_simplified(text: str) -> str:
    """Traditional → simplified, skipped (it is the slow step) when no traditional character is present."""
    traditional = _traditional_chars()
    if traditional and not any(ch in traditional for ch in text):
        return text
    return _converter().convert(text)


@functools.cache
def _rewrites(name: str, before: str = "", after: str = "") -> tuple[tuple[re.Pattern, str], ...]:
    """The rows of a kb/ rewrite table (pattern, replacement), each pattern between `before` and `after`."""
    return tuple(
        (re.compile(f"{before}(?:{row[0]}){after}"), row[1].strip() if len(row) > 1 else "")
        for row in read_rows(KB_DIR / name)
        if row[0] != "MARKERS"
    )


def _rewrite(text: str, rows: tuple[tuple[re.Pattern, str], ...]) -> str:
    for pattern, word in rows:
        text = pattern.sub(word, text)
    return text


@functools.cache
def _cantonese_markers() -> re.Pattern:
    return next(re.compile(row[1].strip()) for row in read_rows(KB_DIR / "cantonese.tsv") if row[0] == "MARKERS")


def from_cantonese(text: str) -> str:
    """A complaint written in Cantonese ("肚屙咗三日", "膝头哥好痛"), in the Mandarin words the lexicon reads
    (kb/cantonese.tsv, only when one of its markers is in the message)."""
    return _rewrite(text, _rewrites("cantonese.tsv")) if _cantonese_markers().search(text) else text


def expand_shorthand(text: str) -> str:
    """Latin shorthand inside a Chinese message, as its Chinese word (kb/shorthand.tsv: ru腺, xy 160/100, 怀bb, pp;
    the text is already lower case). A shorthand never matches inside a run of Latin letters or after a digit."""
    if not re.search(r"[a-z]", text):
        return text
    return _rewrite(text, _rewrites("shorthand.tsv", r"(?<![a-z0-9])", r"(?![a-z])"))


# Phones are typed with spaces for commas ("是不是缺钙啊 最近膝盖一蹲就响"): a space after a sentence particle ends a
# clause, so negation and worry words stop there. Any other space ("左边胸口 压着疼", "我爸吐了 好多血") stays a
# space. Red flags read the message both ways and take either reading's flags.
_SPACE_BETWEEN_CLAUSES = re.compile(r"(?<=[\u4e00-\u9fff]{2}[啊吗呢吧哦呀嘛啦]) (?=[\u4e00-\u9fff])")


def spaces_as_commas(text: str) -> str:
    """A normalised message with the spaces typed for commas made commas (the same length: offsets hold in both)."""
    return _SPACE_BETWEEN_CLAUSES.sub("，", text)


def normalize(text: str) -> str:
    """The form every triage component reads: simplified, half-width, lower-case, Arabic numbers, 度 for degrees.
    Typed spaces stay; `spaces_as_commas` makes those typed for commas into commas."""
    text = to_half_width(text or "")
    text = to_simplified(text)
    text = text.replace("℃", "度").replace("°c", "度").replace("°C", "度").replace("°", "度")
    text = text.lower()
    text = english.to_chinese(text) if english.is_english(text) else expand_shorthand(from_cantonese(text))
    text = numbers_to_digits(text)
    text = _CARRYING_A_CHILD.sub("怀孕", text)
    text = _TREMBLING_FROM.sub(r"\1得厉害", text)
    text = _DEGREE_DECIMAL.sub(lambda m: f"{m.group(1)}度{_DIGITS[m.group(2)]}", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text
