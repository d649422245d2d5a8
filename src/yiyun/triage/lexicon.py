"""Longest-match scanner over the triage lexicon: curated symptoms and cues plus the 39.net terms built from sources."""

import re
from dataclasses import dataclass

from yiyun.triage.kb_files import GENERATED_DIR, Cue, SymptomConcept, parse_weights, read_rows

SYMPTOM, CUE, DISEASE, KB_SYMPTOM = "symptom", "cue", "disease", "kb_symptom"
_KIND_RANK = {SYMPTOM: 0, CUE: 1, DISEASE: 2, KB_SYMPTOM: 3}


@dataclass(frozen=True)
class Entry:
    """What a surface word means: a curated symptom concept, a cue, or a 39.net disease/symptom term."""

    kind: str
    key: str
    departments: tuple[tuple[str, float], ...] = ()
    sex: str = ""
    age: str = ""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...]
    pattern: bool = False


class Lexicon:
    """Surface word → entries, scanned left to right taking the longest word at each position; terms written
    `~regex` match flexible phrasings ("来例假的时候肚子疼") where no exact word did."""

    def __init__(self) -> None:
        self._entries: dict[str, list[Entry]] = {}
        self._lengths_by_first: dict[str, list[int]] = {}
        self._patterns: list[tuple[re.Pattern, Entry]] = []

    def add(self, surface: str, entry: Entry) -> None:
        if surface.startswith("~"):  # a flexible phrasing written as a regular expression
            self._patterns.append((re.compile(surface[1:]), entry))
            return
        surface = surface.lower()
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
        return self

    def __contains__(self, surface: str) -> bool:
        return surface in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def scan(self, text: str) -> list[Match]:
        matches, i, n = [], 0, len(text)
        while i < n:
            for length in self._lengths_by_first.get(text[i], ()):
                if length > n - i:
                    continue
                surface = text[i : i + length]
                entries = self._entries.get(surface)
                if entries:
                    matches.append(Match(i, i + length, surface, tuple(entries)))
                    i += length
                    break
            else:
                i += 1
        for pattern, entry in self._patterns:
            for found in pattern.finditer(text):
                match = Match(found.start(), found.end(), found.group(0), (entry,), pattern=True)
                matches = _add_pattern_match(matches, match, may_replace=entry.kind == SYMPTOM)
        return sorted(matches, key=lambda m: m.start)


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
            lexicon.add(term, Entry(CUE, cue.name))
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
