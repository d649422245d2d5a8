"""Train the intent model on KUAKE-QIC dev and write `kb/intent_model.bin`; also its cross-validation.

    python -m yiyun.triage.intent_build            # train on all 1,955 queries, write the model
    python -m yiyun.triage.intent_build --evaluate # 5-fold cross-validation only

The shared data folder comes from YIYUN_SHARED_DIR, by default `<repo>/../shared`. Training is
deterministic: fixed fold seed, L-BFGS from zero weights.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from yiyun.triage.intent import LABEL_TO_INTENT, MODEL_PATH, dump_model, features, product_intent, read_model

DATASET = Path("data") / "triage" / "kuake_qic_dev" / "KUAKE-QIC_dev.json"
LABELS = sorted(LABEL_TO_INTENT)
FOLDS = 5
FOLD_SEED = 20240605
C_GRID = (1.0, 3.0, 10.0, 30.0)  # inverse L2 strength, chosen per outer fold by inner CV on its training part
INNER_FOLDS = 3
MIN_DF = 2
# Each example weighs (mean class size / its class size) ** power: 1 would balance the classes fully,
# 0 not at all; half-way kept the rare labels from being swamped and cost the big ones less.
CLASS_WEIGHT_POWER = 0.5
METHOD = (
    "TF-IDF (sublinear tf, l2) over character 1-4-grams seen in 2+ training queries, first/last characters "
    "and hand-written question cues; multinomial logistic regression (L2, L-BFGS) with class weights "
    "(mean class size / class size) ** 0.5; C chosen by inner 3-fold CV"
)


def default_shared_dir() -> Path:
    configured = os.environ.get("YIYUN_SHARED_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared"


def load_dataset(shared_dir: Path) -> tuple[list[str], list[str]]:
    rows = json.loads((Path(shared_dir) / DATASET).read_text(encoding="utf-8"))
    return [row["query"] for row in rows], [row["label"] for row in rows]


def stratified_folds(labels: list[str], k: int, seed: int) -> list[list[int]]:
    """k disjoint test-index lists, each label spread evenly over them, reproducible for a seed."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    offset = 0
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        for j, i in enumerate(members):
            folds[(offset + j) % k].append(i)
        offset += len(members)
    return [sorted(fold) for fold in folds]


class Vectoriser:
    """TF-IDF exactly as IntentModel.probabilities computes it at run time."""

    def __init__(self, docs: list[list[str]], min_df: int):
        df = Counter(f for doc in docs for f in set(doc))
        self.vocabulary = sorted(f for f, n in df.items() if n >= min_df)
        self.index = {f: i for i, f in enumerate(self.vocabulary)}
        n_docs = len(docs)
        self.idf = np.array([math.log((1 + n_docs) / (1 + df[f])) + 1.0 for f in self.vocabulary])

    def transform(self, docs: list[list[str]]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, doc in enumerate(docs):
            counts = Counter(self.index[f] for f in doc if f in self.index)
            weights = {i: (1.0 + math.log(n)) * self.idf[i] for i, n in counts.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for i, w in weights.items():
                rows.append(r)
                cols.append(i)
                vals.append(w / norm)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocabulary)))


def fit_logistic(
    x: sparse.csr_matrix, y: np.ndarray, n_classes: int, c: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, L2 = 1/2 |W|^2 (bias unpenalised), each example of a class
    weighted by (n / (K * n_class)) ** CLASS_WEIGHT_POWER so that rare intents count. Returns weights
    (V x K) and bias (K)."""
    n, v = x.shape
    counts = np.bincount(y, minlength=n_classes).astype(float)
    sample_weight = ((n / (n_classes * np.maximum(counts, 1.0))) ** CLASS_WEIGHT_POWER)[y]
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    xt = x.T.tocsr()

    def loss_and_grad(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat[: v * n_classes].reshape(v, n_classes)
        b = flat[v * n_classes :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = 0.5 * np.sum(w * w) - c * np.sum(sample_weight * log_p[np.arange(n), y])
        residual = c * sample_weight[:, None] * (np.exp(log_p) - onehot)
        grad_w = w + xt @ residual
        grad_b = residual.sum(axis=0)
        return loss, np.concatenate([grad_w.ravel(), grad_b])

    solution = lbfgs(loss_and_grad, np.zeros(v * n_classes + n_classes))
    return solution[: v * n_classes].reshape(v, n_classes), solution[v * n_classes :]


def lbfgs(
    objective, x: np.ndarray, *, memory: int = 10, max_iter: int = 1000, tol: float = 1e-6
) -> np.ndarray:
    """Minimise a smooth convex function with L-BFGS and a backtracking (Armijo) line search.

    Written out rather than taken from scipy.optimize, and without BLAS dot products: multi-threaded
    BLAS on these small vectors made training ten times slower on a busy two-core machine."""
    loss, grad = objective(x)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(max_iter):
        direction = -grad
        alphas = []
        for s, y, rho in reversed(steps):
            alpha = rho * _dot(s, direction)
            direction = direction - alpha * y
            alphas.append(alpha)
        if steps:
            s, y, _ = steps[-1]
            direction *= _dot(s, y) / _dot(y, y)
        for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
            beta = rho * _dot(y, direction)
            direction = direction + (alpha - beta) * s
        slope = _dot(grad, direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            steps.clear()
            direction, slope = -grad, -_dot(grad, grad)
        step = 1.0 if steps else min(1.0, 1.0 / max(math.sqrt(_dot(grad, grad)), 1e-12))
        while True:
            candidate = x + step * direction
            new_loss, new_grad = objective(candidate)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = candidate - x, new_grad - grad
        sy = _dot(s, y)
        if sy > 1e-12:
            steps.append((s, y, 1.0 / sy))
            if len(steps) > memory:
                steps.pop(0)
        converged = loss - new_loss <= tol * max(abs(loss), 1.0)
        x, loss, grad = candidate, new_loss, new_grad
        if converged:
            break
    return x


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.multiply(a, b).sum())


def train(texts: list[str], labels: list[str], c: float) -> tuple[Vectoriser, np.ndarray, np.ndarray]:
    docs = [features(t) for t in texts]
    vectoriser = Vectoriser(docs, MIN_DF)
    y = np.array([LABELS.index(label) for label in labels])
    weights, bias = fit_logistic(vectoriser.transform(docs), y, len(LABELS), c)
    return vectoriser, weights, bias


def predict(model: tuple[Vectoriser, np.ndarray, np.ndarray], texts: list[str]) -> list[str]:
    vectoriser, weights, bias = model
    scores = vectoriser.transform([features(t) for t in texts]) @ weights + bias
    return [LABELS[i] for i in scores.argmax(axis=1)]


def accuracy(predicted: list[str], gold: list[str]) -> float:
    return sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold)


def choose_c(texts: list[str], labels: list[str], seed: int) -> float:
    """The C of C_GRID with the best inner-CV accuracy on these (training) examples only."""
    best_c, best_acc = C_GRID[0], -1.0
    folds = stratified_folds(labels, INNER_FOLDS, seed)
    for c in C_GRID:
        hits = 0
        for test in folds:
            held = set(test)
            train_idx = [i for i in range(len(texts)) if i not in held]
            model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], c)
            predicted = predict(model, [texts[i] for i in test])
            hits += sum(p == labels[i] for p, i in zip(predicted, test, strict=True))
        acc = hits / len(texts)
        if acc > best_acc:
            best_c, best_acc = c, acc
    return best_c


def cross_validate(texts: list[str], labels: list[str], *, folds: int = FOLDS, seed: int = FOLD_SEED) -> dict:
    """Stratified k-fold CV: for each fold, choose C and train on the other folds only, then score it.
    `intent_acc` is the mean of the fold accuracies on the 11 labels; `coarse_acc` is the out-of-fold
    agreement on the product intent (symptom, drug, ...) that the gold and predicted labels lead to."""
    started = time.perf_counter()
    fold_results = []
    out_of_fold: dict[int, str] = {}
    for number, test in enumerate(stratified_folds(labels, folds, seed), start=1):
        held = set(test)
        train_idx = [i for i in range(len(texts)) if i not in held]
        train_texts, train_labels = [texts[i] for i in train_idx], [labels[i] for i in train_idx]
        c = choose_c(train_texts, train_labels, seed + number)
        model = train(train_texts, train_labels, c)
        predicted = predict(model, [texts[i] for i in test])
        out_of_fold.update(zip(test, predicted, strict=True))
        fold_results.append(
            {
                "fold": number,
                "n_test": len(test),
                "acc": round(accuracy(predicted, [labels[i] for i in test]), 4),
                "c": c,
            }
        )
    mean = sum(f["acc"] for f in fold_results) / len(fold_results)
    predicted_all = [out_of_fold[i] for i in range(len(labels))]
    coarse_hits = sum(
        product_intent(p, t) == product_intent(g, t)
        for t, g, p in zip(texts, labels, predicted_all, strict=True)
    )
    return {
        "intent_acc": round(mean, 4),
        "folds": fold_results,
        "n": len(texts),
        "method": METHOD,
        "cv": f"stratified {folds}-fold, seed {seed}",
        "coarse_acc": round(coarse_hits / len(labels), 4),
        "per_label": per_label_recall(labels, predicted_all),
        "seconds": round(time.perf_counter() - started, 1),
    }


def per_label_recall(gold: list[str], predicted: list[str]) -> dict[str, dict]:
    """For each label: how many examples, and the share of them predicted right (out of fold)."""
    totals = Counter(gold)
    right = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        label: {"n": totals[label], "recall": round(right[label] / totals[label], 3)}
        for label in sorted(totals)
    }


def build(shared_dir: Path, out: Path = MODEL_PATH) -> dict:
    """Train on the whole dev set (C chosen by CV on it) and write the shipped model."""
    texts, labels = load_dataset(shared_dir)
    c = choose_c(texts, labels, FOLD_SEED)
    vectoriser, weights, bias = train(texts, labels, c)
    meta = {
        "c": c,
        "min_df": MIN_DF,
        "n_train": len(texts),
        "method": METHOD,
        "source": "KUAKE-QIC dev (CBLUE)",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    dump_model(
        out,
        labels=LABELS,
        vocabulary=vectoriser.vocabulary,
        idf=vectoriser.idf,
        weights=weights.ravel(),
        bias=bias,
        meta=meta,
    )
    header, _ = read_model(out)
    return {"path": str(out), "bytes": out.stat().st_size, "n_features": header["n_features"], "c": c}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared-dir", type=Path, default=None, help="default: $YIYUN_SHARED_DIR or <repo>/../shared"
    )
    parser.add_argument(
        "--evaluate", action="store_true", help="run the 5-fold cross-validation instead of building"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    shared_dir = args.shared_dir or default_shared_dir()
    if args.evaluate:
        texts, labels = load_dataset(shared_dir)
        result = cross_validate(texts, labels)
    else:
        result = build(shared_dir, args.out)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
