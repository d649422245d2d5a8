"""The condition model: candidate conditions, how likely each answer about a symptom is under each, and the
follow-up question that best separates the leading candidates (expected information gain).

Scoring is log-linear: score(d) = bias[d] + sum of weights[d, concept, answer] over what is known. By default the
weights are log P(answer | d) and the bias the log prior (naive Bayes); a table may carry weights fitted by logistic
regression instead. Question selection always uses the answer probabilities.

The product's model comes from kb/generated/conditions.json (curated common conditions with 39.net facts); the
benchmark suites load a per-dataset table learned from a training split (kb/generated/dialog_*.json). Scoring and
question selection are the same code for both.
"""

from dataclasses import dataclass

import numpy as np

from yiyun.triage.kb_files import GENERATED_DIR, read_json

ANSWERS = ("yes", "no", "unsure")
_BACKGROUND_YES = 0.03
_UNSURE = 0.1


@dataclass
class ConditionModel:
    name: str
    diseases: list[str]
    log_prior: np.ndarray  # (D,)
    concepts: list[str]
    answer_prob: np.ndarray  # (D, C, 3): P(answer | disease, asked about concept)
    departments: list[dict[str, float]]  # per disease
    sex: list[str]
    age: list[str]
    self_care: list[bool]
    askable: np.ndarray  # (C,) bool: may be asked as a follow-up question
    stop_confidence: float = 0.8
    min_gain: float = 0.02
    criterion: str = "information_gain"  # or "expected_accuracy": gain in the expected probability of the top answer
    weights: np.ndarray | None = None  # (D, C, 3) evidence weights; default log answer_prob (naive Bayes)
    bias: np.ndarray | None = None  # (D,) default log prior

    def __post_init__(self) -> None:
        self.index = {c: i for i, c in enumerate(self.concepts)}
        if self.weights is None:
            self.weights = np.log(self.answer_prob)
        if self.bias is None:
            self.bias = self.log_prior

    def log_posterior(self, findings: dict[str, str], *, sex=None, child=None, elderly=False) -> np.ndarray:
        """Unnormalised log posterior over diseases given answers per concept and who the patient is."""
        scores = self.bias.copy()
        for concept, answer in findings.items():
            i = self.index.get(concept)
            if i is not None and answer in ANSWERS:
                scores += self.weights[:, i, ANSWERS.index(answer)]
        for d in range(len(self.diseases)):
            if (sex and self.sex[d] and self.sex[d] != sex) or self._age_excluded(d, child):
                scores[d] = -np.inf
        return scores

    def _age_excluded(self, d: int, child) -> bool:
        if child is None:
            return False
        group = self.age[d]
        return (group in ("child", "infant") and not child) or (group in ("adult", "elderly") and child)

    @staticmethod
    def normalise(log_scores: np.ndarray) -> np.ndarray:
        if not np.isfinite(log_scores).any():
            return np.full(len(log_scores), 1.0 / len(log_scores))
        shifted = np.exp(log_scores - np.max(log_scores[np.isfinite(log_scores)]))
        shifted[~np.isfinite(log_scores)] = 0.0
        return shifted / shifted.sum()

    def best_question(self, posterior: np.ndarray, exclude: set[str], *, top_k: int = 25) -> tuple[str | None, float]:
        """The concept whose answer best separates the leading candidates: the largest expected information gain
        (entropy reduction), or with criterion "expected_accuracy" the largest expected rise in the probability of
        the candidate that would be named after the answer."""
        order = np.argsort(-posterior)[:top_k]
        p = posterior[order]
        p = p / p.sum()
        probs = self.answer_prob[order]  # (k, C, 3)
        joint = p[:, None, None] * probs  # (k, C, 3)
        if self.criterion == "expected_accuracy":
            gain = joint.max(axis=0).sum(axis=1) - p.max()
        else:
            marginal = joint.sum(axis=0)  # (C, 3)
            with np.errstate(divide="ignore", invalid="ignore"):
                conditional = np.where(marginal > 0, joint / marginal, 0.0)
                entropy_after = -(conditional * np.where(conditional > 0, np.log(conditional), 0.0)).sum(axis=0)
            expected = (marginal * entropy_after).sum(axis=1)
            prior_entropy = -(p * np.log(np.where(p > 0, p, 1))).sum()
            gain = prior_entropy - expected
        gain[~self.askable] = -1.0
        for concept in exclude:
            i = self.index.get(concept)
            if i is not None:
                gain[i] = -1.0
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            return None, 0.0
        return self.concepts[best], float(gain[best])


def product_model(symptom_concepts: dict) -> ConditionModel:
    """The condition model shipped with the product (kb/generated/conditions.json)."""
    data = read_json("conditions.json", GENERATED_DIR)["conditions"]
    concepts = sorted({c for cond in data for c in cond["symptoms"]} | set(symptom_concepts))
    index = {c: i for i, c in enumerate(concepts)}
    yes = np.full((len(data), len(concepts)), _BACKGROUND_YES)
    for d, cond in enumerate(data):
        for concept, p in cond["symptoms"].items():
            yes[d, index[concept]] = p
    probs = np.stack([yes * (1 - _UNSURE), (1 - yes) * (1 - _UNSURE), np.full_like(yes, _UNSURE)], axis=2)
    prior = np.array([cond["prior"] for cond in data])
    return ConditionModel(
        name="product",
        diseases=[cond["name"] for cond in data],
        log_prior=np.log(prior / prior.sum()),
        concepts=concepts,
        answer_prob=probs,
        departments=[cond["departments"] for cond in data],
        sex=[cond["sex"] for cond in data],
        age=[cond["age"] for cond in data],
        self_care=[cond["self_care"] for cond in data],
        askable=np.array([c in symptom_concepts for c in concepts]),
        stop_confidence=0.75,
        min_gain=0.05,
    )


def dialog_model(
    dataset: str, *, alpha: float = 0.5, stop_confidence: float = 0.9, data: dict | None = None, criterion: str | None = None
) -> ConditionModel:
    """A benchmark's condition model: prior and answer table learned from its training split (and the question
    criterion chosen by cross-validation on that split, see build.py)."""
    data = data or read_json(f"dialog_{dataset}.json", GENERATED_DIR)
    diseases = sorted(data["diseases"])
    concepts = data["concepts"]
    totals = np.array([data["diseases"][d] for d in diseases], dtype=float)
    counts = np.zeros((len(diseases), len(concepts), 3))
    for d, disease in enumerate(diseases):
        for c, concept in enumerate(concepts):
            yes, no = data["counts"][disease].get(concept, [0, 0])
            counts[d, c] = (yes, no, totals[d] - yes - no)
    probs = (counts + alpha) / (totals[:, None, None] + 3 * alpha)
    return ConditionModel(
        name=dataset,
        diseases=diseases,
        log_prior=np.log(totals / totals.sum()),
        concepts=concepts,
        answer_prob=probs,
        departments=[{} for _ in diseases],
        sex=["" for _ in diseases],
        age=["" for _ in diseases],
        self_care=[False for _ in diseases],
        askable=np.ones(len(concepts), dtype=bool),
        stop_confidence=stop_confidence,
        min_gain=0.01 if (criterion or data.get("criterion")) != "expected_accuracy" else 1e-6,
        criterion=criterion or data.get("criterion", "information_gain"),
    )
