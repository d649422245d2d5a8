"""Readers for the hand-curated knowledge-base files in `triage/kb/` (shared by the build and the engine)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

KB_DIR = Path(__file__).resolve().parent / "kb"
GENERATED_DIR = KB_DIR / "generated"
CATALOG_DEPARTMENTS = Path(__file__).resolve().parents[1] / "catalog" / "data" / "standard_departments.json"


@dataclass
class SymptomConcept:
    """A symptom as the engine reasons about it, with the words that express it."""

    name: str
    terms: list[str]
    departments: dict[str, float]
    question: str
    tags: set[str] = field(default_factory=set)
    implies: list[str] = field(default_factory=list)


@dataclass
class Cue:
    """A body part, life situation or visit reason that hints at a department or at who the patient is."""

    name: str
    terms: list[str]
    departments: dict[str, float]
    tags: set[str] = field(default_factory=set)


def parse_weights(text: str) -> dict[str, float]:
    """`03.01:3,11.03:1` → {"03.01": 3.0, "11.03": 1.0}."""
    weights: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        code, _, weight = part.partition(":")
        weights[code.strip()] = float(weight or 1)
    return weights


def split_terms(cell: str) -> list[str]:
    """Terms separated by |; a `~regex` term keeps its own | inside parentheses."""
    terms: list[str] = []
    for piece in cell.split("|"):
        if terms and terms[-1].startswith("~") and terms[-1].count("(") > terms[-1].count(")"):
            terms[-1] += "|" + piece
        elif piece:
            terms.append(piece)
    return terms


def read_rows(path: Path) -> list[list[str]]:
    """Rows of a tab-separated file, skipping blank lines and `#` comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if len(row) > index else ""


def read_symptoms(path: Path = KB_DIR / "symptoms.tsv") -> dict[str, SymptomConcept]:
    concepts: dict[str, SymptomConcept] = {}
    for row in read_rows(path):
        name = _cell(row, 0)
        tags = {t.strip() for t in _cell(row, 4).split(",") if t.strip()}
        implies = [t.split("=", 1)[1] for t in tags if t.startswith("implies=")]
        terms = [name, *split_terms(_cell(row, 1))]
        concepts[name] = SymptomConcept(
            name=name,
            terms=list(dict.fromkeys(terms)),
            departments=parse_weights(_cell(row, 2)),
            question=_cell(row, 3) or f"有没有{name}？",
            tags={t for t in tags if not t.startswith("implies=")},
            implies=implies,
        )
    return concepts


def read_cues(path: Path = KB_DIR / "cues.tsv") -> dict[str, Cue]:
    cues: dict[str, Cue] = {}
    for row in read_rows(path):
        name = _cell(row, 0)
        cues[name] = Cue(
            name=name,
            terms=split_terms(_cell(row, 1)),
            departments=parse_weights(_cell(row, 2)),
            tags={t.strip() for t in _cell(row, 3).split(",") if t.strip()},
        )
    return cues


def read_english_questions(path: Path = KB_DIR / "english_questions.tsv") -> dict[str, str]:
    """Concept → its yes/no question in English, for the English interface."""
    return {row[0].strip(): _cell(row, 1) for row in read_rows(path)}


def read_json(name: str, directory: Path = KB_DIR) -> dict:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def implication_closure(findings: dict[str, str], concepts: dict[str, SymptomConcept]) -> dict[str, str]:
    """Add what a present symptom implies (高热 → 发热); an explicit answer about the implied one wins."""
    closed = dict(findings)
    for name, value in findings.items():
        concept = concepts.get(name)
        if value == "yes" and concept:
            for implied in concept.implies:
                closed.setdefault(implied, "yes")
    return closed
