"""Longest-match scanner over the triage lexicon: curated symptoms and cues plus the 39.net terms built from sources."""

import functools
import re
from dataclasses import dataclass

from pypinyin import Style, pinyin

from yiyun.triage.kb_files import GENERATED_DIR, Cue, SymptomConcept, parse_weights, read_rows
from yiyun.triage.normalize import message_pattern, numbers_to_digits

SYMPTOM, CUE, DISEASE, KB_SYMPTOM = "symptom", "cue", "disease", "kb_symptom"
_KIND_RANK = {SYMPTOM: 0, CUE: 1, DISEASE: 2, KB_SYMPTOM: 3}
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
SOUND_ALIKE_LENGTHS = range(3, 8)  # 甲装腺 (甲状腺) to 十二直肠球炎 (十二指肠球炎)
_NEVER_A_SLIP = frozenset("不没无未非别于")  # 胃不疼 is not 胃部疼, 胃部舒服 not 胃不舒服, 发于晚间 not 发育晚


@functools.cache
def _syllable(char: str) -> str | None:
    """The usual toneless reading of a Chinese character; None for anything else."""
    return pinyin(char, style=Style.NORMAL)[0][0] if _HAN.match(char) else None


# Cue tags that say who the patient is or what situation they are in, rather than which organ is concerned.
CONTEXT_TAGS = frozenset({"pediatric", "infant", "pregnancy", "female", "male", "elderly"})


@dataclass(frozen=True)
class Entry:
    """What a surface word means: a curated symptom concept, a cue, or a 39.net disease/symptom term."""

    kind: str
    key: str
    departments: tuple[tuple[str, float], ...] = ()
    sex: str = ""
    age: str = ""
    person: bool = False  # a cue for who the patient is or their situation (宝宝, 怀孕): it is never "over"


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...]
    pattern: bool = False


class Lexicon:
    """Surface word → entries, scanned left to right taking the longest word at each position; terms written
    `~regex` match flexible phrasings ("来例假的时候肚子疼") where no exact word did.

    Pinyin input slips are read too: where no word starts, or only a shorter one, a span that sounds like a word of
    three or more characters and differs from it in one inner character (甲装腺, 前列线炎, 阴到炎, 转安酶) reads as
    that word. Two-character words and slips in the first or last character are left alone: on real questions they
    were mostly other words (心里/心理, 白天/百天, 皮肤有/皮肤疣, 早期糖尿病/槭糖尿病)."""

    def __init__(self) -> None:
        self._entries: dict[str, list[Entry]] = {}
        self._lengths_by_first: dict[str, list[int]] = {}
        self._patterns: list[tuple[re.Pattern, Entry]] = []
        self._by_sound: dict[tuple[str, ...], list[str]] = {}
        self._sound_starts: set[tuple[str, str]] = set()  # (first character, second syllable): a cheap first test

    def add(self, surface: str, entry: Entry) -> None:
        if surface.startswith("~"):  # a flexible phrasing written as a regular expression
            self._patterns.append((message_pattern(surface[1:]), entry))
            return
        surface = numbers_to_digits(surface.lower())  # the message's numbers are digits by now ("要二胎" → "要2胎")
        entries = self._entries.setdefault(surface, [])
        if entry not in entries:
            entries.append(entry)

    def freeze(self) -> "Lexicon":
        for entries in self._entries.values():
            entries.sort(key=lambda e: _KIND_RANK[e.kind])
        by_first: dict[str, set[int]] = {}
        for surface in self._entries:
            by_first.setdefault(surface[0], set()).add(len(surface))
        self._lengths_by_first = {ch: sorted(lengths, reverse=True) for ch, lengths in by_first.items()}
        for surface, entries in self._entries.items():
            if _sounds_worth_matching(surface, entries):
                key = tuple(_syllable(ch) for ch in surface)
                self._by_sound.setdefault(key, []).append(surface)
                self._sound_starts.add((surface[0], key[1]))
        return self

    def __contains__(self, surface: str) -> bool:
        return surface in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def scan(self, text: str) -> list[Match]:
        matches, i, n = [], 0, len(text)
        syllables = [_syllable(ch) for ch in text]
        while i < n:
            length, entries = self._longest_word(text, i)
            slip = self._sound_alike(text, syllables, i, longer_than=length)
            if slip:
                length, entries = len(slip), self._entries[slip]
            if entries:
                matches.append(Match(i, i + length, text[i : i + length], tuple(entries)))
                i += length
            else:
                i += 1
        for pattern, entry in self._patterns:
            for found in pattern.finditer(text):
                match = Match(found.start(), found.end(), found.group(0), (entry,), pattern=True)
                matches = _add_pattern_match(matches, match, may_replace=entry.kind == SYMPTOM)
        return sorted(matches, key=lambda m: m.start)

    def _longest_word(self, text: str, i: int) -> tuple[int, list[Entry] | None]:
        for length in self._lengths_by_first.get(text[i], ()):
            entries = self._entries.get(text[i : i + length]) if length <= len(text) - i else None
            if entries:
                return length, entries
        return 0, None

    def _sound_alike(self, text: str, syllables: list[str | None], i: int, *, longer_than: int) -> str | None:
        """The word text[i:] was probably meant to be when typed by pinyin: the same syllables (usual readings, no
        tones), longer than the word found here, with one inner character different."""
        if i + 1 >= len(text) or (text[i], syllables[i + 1]) not in self._sound_starts:
            return None  # the first character is never the slip, and the second sounds as in the word
        for length in reversed(SOUND_ALIKE_LENGTHS):
            if length <= longer_than or i + length > len(text):
                continue
            key = tuple(syllables[i : i + length])
            if None in key:
                continue
            span = text[i : i + length]
            for word in self._by_sound.get(key, ()):
                differ = [k for k, (a, b) in enumerate(zip(span, word, strict=True)) if a != b]
                if len(differ) == 1 and 0 < differ[0] < length - 1 and not {span[differ[0]], word[differ[0]]} & _NEVER_A_SLIP:
                    return word
        return None


def _sounds_worth_matching(surface: str, entries: list[Entry]) -> bool:
    """Curated words and 39.net disease names in Chinese characters; not the 39.net symptom words."""
    if not _HAN.match(surface) or len(surface) not in SOUND_ALIKE_LENGTHS:
        return False
    return bool({e.kind for e in entries} & {SYMPTOM, CUE, DISEASE})


def _add_pattern_match(matches: list[Match], match: Match, *, may_replace: bool) -> list[Match]:
    """A flexible phrasing counts where no word was found; a symptom phrasing also where it is longer than the word
    found at the same place ("胸疼，来例假前" is breast pain, not chest pain), and then the words inside it go. It
    never starts inside another word, and the broad body-part patterns of cues.tsv displace only a shorter pattern
    match, never a word."""
    same_start = [m for m in matches if m.start == match.start]
    if any(m.start < match.start < m.end for m in matches):
        return matches
    if any(len(m.surface) >= len(match.surface) or not (may_replace or m.pattern) for m in same_start):
        return matches
    if may_replace:  # a symptom phrasing also stands for the words inside it ("眨眼睛、耸肩膀，控制不住" is not 眼睛)
        return [m for m in matches if not (match.start <= m.start and m.end <= match.end)] + [match]
    return [m for m in matches if m not in same_start] + [match]


def build_lexicon(
    concepts: dict[str, SymptomConcept], cues: dict[str, Cue], *, generated: bool = True, extra_terms=()
) -> Lexicon:
    """The lexicon the engine scans with; `extra_terms` are (surface, concept) pairs a condition model adds."""
    lexicon = Lexicon()
    for concept in concepts.values():
        for term in concept.terms:
            lexicon.add(term, Entry(SYMPTOM, concept.name))
    for cue in cues.values():
        for term in cue.terms:
            lexicon.add(term, Entry(CUE, cue.name, person=bool(cue.tags & CONTEXT_TAGS)))
    for surface, concept in extra_terms:
        lexicon.add(surface, Entry(SYMPTOM, concept))
    if generated and (GENERATED_DIR / "kb_terms.tsv").exists():
        for row in read_rows(GENERATED_DIR / "kb_terms.tsv"):
            surface, kind = row[0], row[1]
            if surface in lexicon:
                continue
            weights = tuple(sorted(parse_weights(row[2] if len(row) > 2 else "").items()))
            entry = Entry(
                DISEASE if kind == "disease" else KB_SYMPTOM,
                surface,
                weights,
                sex=row[3].strip() if len(row) > 3 else "",
                age=row[4].strip() if len(row) > 4 else "",
            )
            lexicon.add(surface, entry)
    return lexicon.freeze()
