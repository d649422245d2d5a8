"""A complaint typed in English, rewritten into the everyday Chinese the rest of triage reads.

The English interface lets a patient write "chest pain and cold sweat since this morning"; without this, triage would
find nothing in it and answer ROUTINE. The rewrite is phrase by phrase from `kb/english.tsv` (longest phrase first),
after the grammar a glossary cannot carry: contractions, ages ("3 year old" → 3岁), durations ("for two days" →
2天), temperatures (Fahrenheit converted), "pain in my knee" → "膝盖疼". English words without a row are dropped, so
what remains reads like a short Chinese message ("我儿子3岁，发烧2天，没有咳嗽"). Only a message mostly written in
Latin letters is rewritten: a Chinese message with an English abbreviation (B超, PSA, NT) is left as it is.
"""

import functools
import re

from yiyun.triage.kb_files import KB_DIR, read_rows

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTRACTIONS = (
    (r"\bcan'?t\b|\bcan not\b", "cannot"), (r"\bwon'?t\b", "will not"), (r"\b(do|does|did|is|are|was|were|has|have|had)n'?t\b", r"\1 not"),
    (r"\bi'm\b", "i am"), (r"\b(it|he|she|that)'s\b", r"\1 is"), (r"\bi've\b", "i have"), (r"\bi'd\b", "i would"),
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "a couple of": 2,
}
_FEW = ("a few", "few", "several")
_UNITS = {"minute": "分钟", "hour": "小时", "day": "天", "week": "周", "month": "个月", "year": "年"}
_COUNT = r"(\d+(?:\.\d+)?|a couple of|couple of|a few|few|several|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_DURATION = re.compile(
    rf"\b(?:for|since|in|over)?\s*(?:the\s+)?(?:past|last)?\s*{_COUNT}\s+(minute|hour|day|week|month|year)s?\b(\s+ago)?"
)
_PAIN_IN = re.compile(  # "pain in my knee" → "knee pain": the body part first, as in Chinese
    r"\b(pain|ache|hurts?|swelling)\s+(?:in|on)\s+(?:my|the|his|her|their|our)?\s*((?:lower |upper )?[a-z]+)"
)
_SENTENCE = re.compile(r"[^.;!?]+")
_YEARS_AGO = re.compile(rf"\b{_COUNT}\s+years?\s+ago\b")
_AGE = re.compile(rf"\b{_COUNT}[- ]?(year|yr|month|week|day)s?[- ]old\b")
_WEEKS_PREGNANT = re.compile(r"\b(\d+)\s*weeks?\s*pregnant\b")
_CELSIUS = re.compile(r"\b(3[4-9]|4[0-3])(\.\d)?\s*(?:°\s*c|degrees?\s*(?:c|celsius)?|c|celsius)\b")
_FAHRENHEIT = re.compile(r"\b(9\d|10\d|11[0-2])(\.\d)?\s*(?:°\s*f|degrees?\s*f(?:ahrenheit)?|f|fahrenheit)\b")


@functools.cache
def _glossary() -> tuple[re.Pattern, dict[str, str]]:
    table = {english.strip(): chinese.strip() for english, chinese, *_ in read_rows(KB_DIR / "english.tsv")}
    phrases = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")\b")
    return pattern, table


def is_english(text: str) -> bool:
    """Mostly Latin letters, with a few words: the message is English, not Chinese with an abbreviation in it. When
    there is Chinese too, some of the Latin words must be English ("TCT结果LSIL", "PHQ-9 18分" are Chinese messages
    about test results)."""
    words = _WORD.findall(text.lower())
    if len(words) < 2 or sum(map(len, words)) <= 2 * len(_CJK.findall(text)):
        return False
    return not _CJK.search(text) or sum(word in _english_words() for word in words) >= 2


@functools.cache
def _english_words() -> frozenset[str]:
    """Words of the glossary's English phrases, and the small words that hold English sentences together."""
    glossary = {word for phrase in _glossary()[1] for word in _WORD.findall(phrase)}
    return frozenset(glossary | set(_GRAMMAR_WORDS.split()))


_GRAMMAR_WORDS = (
    "i my me we our you your he his she her it its they their the a an and or but not no is are was were am be been "
    "have has had do does did can cannot will would should for of in on at to from with since ago after before "
    "this that there what how when why which who very so too also still just"
)


def _time_first(sentence: str) -> str:
    match = _YEARS_AGO.search(sentence)
    if not match:
        return sentence
    return f"{_count(match.group(1))}年前{sentence[:match.start()].strip()} {sentence[match.end():].strip()}"


def _count(word: str) -> str:
    if word in _FEW:
        return "几"
    return str(_NUMBER_WORDS.get(word, word))


def _duration(match: re.Match) -> str:
    return f"，{_count(match.group(1))}{_UNITS[match.group(2)]}{'前' if match.group(3) else ''}，"


def _age(match: re.Match) -> str:
    unit = {"year": "岁", "yr": "岁", "month": "个月大", "week": "周大", "day": "天大"}[match.group(2)]
    return f" {_count(match.group(1))}{unit} "


def _fahrenheit(match: re.Match) -> str:
    value = float(match.group(1) + (match.group(2) or ""))
    return f"{(value - 32) * 5 / 9:.1f}度"


def to_chinese(text: str) -> str:
    """The English message (already lower case) rewritten into Chinese; see the module docstring."""
    pattern, table = _glossary()
    text = text.replace("’", "'")
    for contraction, full in _CONTRACTIONS:
        text = re.sub(contraction, full, text)
    # "I had a seizure ten years ago": Chinese says when first (十年前抽过), which is how triage tells history from now
    text = _SENTENCE.sub(lambda m: _time_first(m.group(0)), text)
    text = _WEEKS_PREGNANT.sub(lambda m: f" 怀孕{m.group(1)}周 ", text)
    text = _AGE.sub(_age, text)
    text = _FAHRENHEIT.sub(_fahrenheit, text)
    text = _CELSIUS.sub(lambda m: f"{m.group(1)}{m.group(2) or ''}度", text)
    text = _DURATION.sub(_duration, text)
    text = _PAIN_IN.sub(lambda m: f"{m.group(2)} {m.group(1)}" if m.group(2) in table else m.group(0), text)
    text = pattern.sub(lambda m: " " + table[" ".join(m.group(1).split())] + " ", text)
    text = _WORD.sub(" ", text)
    text = re.sub(r"\s*([，,.。;；!?！？])\s*", r"\1", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff\d]) +(?=[\u4e00-\u9fff\d])", "", text)
    text = re.sub(r"[，,]{2,}", "，", re.sub(r"\s+", " ", text)).strip(" ，,")
    return text
