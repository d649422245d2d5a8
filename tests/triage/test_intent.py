"""The intent classifier: the shipped model on everyday messages, its loading, its file format, and
the cross-validation that measures it (retrained per fold, nothing learned from a fold's test part)."""

import ast
import json
import random
import re
from pathlib import Path

import pytest

from yiyun.triage import intent, intent_build

TYPICAL_MESSAGES = {
    "symptom": [
        "头痛呕吐是怎么回事",
        "孩子发烧三天咳嗽有痰怎么办",
        "孩子发烧三天，咳嗽有痰",
        "胸口闷得慌，出冷汗",
        "肚子疼拉肚子两天了",
        "腰疼得直不起来是什么原因",
    ],
    "drug": ["阿莫西林胶囊有什么副作用", "布洛芬的作用是什么", "孕妇能吃感冒灵颗粒吗"],
    "report": ["谷丙转氨酶偏高是什么意思", "血常规白细胞偏低严重吗", "甲状腺彩超结果4a类什么意思"],
    "price": ["白内障手术多少钱", "做胃镜大概要多少钱", "拔智齿费用"],
    "where_to_go": ["胃疼挂什么科", "北京哪家医院治疗癫痫好", "膝盖疼去哪个医院看"],
    "other": ["糖尿病的症状有哪些", "高血压的危害", "痛风不能吃什么"],
}


@pytest.mark.parametrize(
    ("expected", "text"),
    [(expected, text) for expected, texts in TYPICAL_MESSAGES.items() for text in texts],
)
def test_shipped_model_reads_everyday_messages(expected, text):
    result = intent.classify(text)
    assert result.intent == expected, result
    assert result.label in intent.LABEL_TO_INTENT
    assert 0.0 < result.confidence <= 1.0


def test_kuake_labels_are_kept_alongside_the_product_intent():
    assert intent.classify("白内障手术多少钱").label == "医疗费用"
    assert intent.classify("胃疼挂什么科").label == "就医建议"
    assert intent.classify("谷丙转氨酶偏高是什么意思").label == "指标解读"


def test_a_diet_question_is_not_a_drug_question():
    assert intent.product_intent("注意事项", "痛风不能吃什么") == "other"
    assert intent.product_intent("注意事项", "感冒药和头孢能一起吃吗") == "drug"


def test_a_bare_complaint_is_a_symptom_whatever_the_label():
    assert intent.product_intent("其他", "最近老是心慌") == "symptom"
    assert intent.product_intent("其他", "心慌是什么病吗") == "other"
    assert intent.product_intent("指标解读", "烧到39度5") == "symptom"
    assert intent.product_intent("指标解读", "体温37度3算发烧吗") == "report"
    assert intent.classify("烧到39度5").intent == "symptom"


def test_model_is_read_once_per_process(monkeypatch):
    reads = []
    real_read = intent.read_model

    def counting_read(path):
        reads.append(path)
        return real_read(path)

    monkeypatch.setattr(intent, "read_model", counting_read)
    intent.load_model.cache_clear()
    try:
        for text in ["胃疼挂什么科", "白内障手术多少钱", "头痛呕吐是怎么回事"]:
            intent.classify(text)
        assert reads == [intent.MODEL_PATH]
    finally:
        intent.load_model.cache_clear()


def test_shipped_model_header_describes_its_training():
    header, model = intent.read_model(intent.MODEL_PATH)
    assert header["format"] == intent.MODEL_FORMAT
    assert sorted(header["labels"]) == sorted(intent.LABEL_TO_INTENT)
    assert header["n_train"] == 1955
    assert header["n_features"] == len(model.index) > 1000


def test_model_file_round_trip(tmp_path):
    path = tmp_path / "m.bin"
    labels = ["就医建议", "医疗费用"]
    intent.dump_model(
        path,
        labels=labels,
        vocabulary=["钱", "科"],
        idf=[1.0, 1.0],
        weights=[-2.0, 2.0, 2.0, -2.0],  # 钱 -> 医疗费用, 科 -> 就医建议
        bias=[0.0, 0.0],
        meta={"note": "test"},
    )
    header, model = intent.read_model(path)
    assert header["labels"] == labels and header["note"] == "test"
    assert model.classify("多少钱").label == "医疗费用"
    assert model.classify("挂什么科").label == "就医建议"


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "junk.bin"
    path.write_bytes(b"not a model")
    with pytest.raises(ValueError):
        intent.read_model(path)


def test_stratified_folds_partition_the_data_and_spread_each_label():
    labels = ["a"] * 50 + ["b"] * 10 + ["c"] * 3
    folds = intent_build.stratified_folds(labels, 5, seed=7)
    flat = sorted(i for fold in folds for i in fold)
    assert flat == list(range(len(labels)))
    for fold in folds:
        assert sum(labels[i] == "a" for i in fold) == 10
        assert sum(labels[i] == "b" for i in fold) == 2
    assert folds == intent_build.stratified_folds(labels, 5, seed=7)


def _synthetic_shared_dir(tmp_path: Path) -> tuple[Path, int]:
    """Learnable queries (price and where-to-go phrasings around varied words) plus queries made of
    characters that occur nowhere else, with labels drawn at random: those cannot be predicted by a
    model that never saw them, only by one that leaked them from the test part."""
    rng = random.Random(3)
    rows = []
    subjects = ["胃镜", "拔牙", "割痔疮", "白内障", "体检", "核磁", "验血", "正畸", "洗牙", "输液"]
    for subject in subjects:
        for suffix, label in [
            ("大概多少钱", "医疗费用"),
            ("要花多少钱", "医疗费用"),
            ("去哪家医院好", "就医建议"),
            ("哪个医院看得好", "就医建议"),
        ]:
            rows.append({"id": f"s{len(rows)}", "query": subject + suffix, "label": label})
    noise = 30
    unseen = [chr(c) for c in range(0x4E00 + 2000, 0x4E00 + 2000 + 3 * noise)]
    for i in range(noise):
        label = rng.choice(["医疗费用", "就医建议"])
        rows.append({"id": f"n{i}", "query": "".join(unseen[3 * i : 3 * i + 3]), "label": label})
    data_dir = tmp_path / intent_build.DATASET.parent
    data_dir.mkdir(parents=True)
    (data_dir / intent_build.DATASET.name).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return tmp_path, noise


def test_evaluate_retrains_on_each_training_part_only(tmp_path, monkeypatch):
    shared_dir, _ = _synthetic_shared_dir(tmp_path)
    texts, labels = intent_build.load_dataset(shared_dir)
    assert len(set(texts)) == len(texts)
    folds = intent_build.stratified_folds(labels, intent_build.FOLDS, intent_build.FOLD_SEED)
    training_sets = []
    real_train = intent_build.train

    def spying_train(train_texts, train_labels, c):
        training_sets.append(set(train_texts))
        return real_train(train_texts, train_labels, c)

    monkeypatch.setattr(intent_build, "train", spying_train)
    result = intent.evaluate(shared_dir)

    assert result["n"] == len(texts) == 70
    assert [f["n_test"] for f in result["folds"]] == [len(fold) for fold in folds]
    assert result["intent_acc"] == pytest.approx(
        sum(f["acc"] for f in result["folds"]) / len(folds), abs=1e-4
    )
    # per outer fold: inner fits choosing C, then the fold's model; none of them sees the fold's test part
    fits_per_fold = intent_build.INNER_FOLDS * len(intent_build.C_GRID) + 1
    assert len(training_sets) == fits_per_fold * len(folds)
    for k, fold in enumerate(folds):
        test_texts = {texts[i] for i in fold}
        fits = training_sets[k * fits_per_fold : (k + 1) * fits_per_fold]
        assert all(not (fit & test_texts) for fit in fits)
        assert fits[-1] == set(texts) - test_texts


def test_evaluate_scores_only_what_can_be_learned(tmp_path, monkeypatch):
    monkeypatch.setattr(intent_build, "MIN_DF", 1)  # so that a leaky evaluation could memorise the noise
    shared_dir, noise = _synthetic_shared_dir(tmp_path)
    result = intent.evaluate(shared_dir)
    learnable = result["n"] - noise
    # the learnable queries right, the unseen-character ones right by chance only (about half of them):
    # a model that had seen its test part would get those right too
    assert result["intent_acc"] >= 0.9 * learnable / result["n"]
    assert result["intent_acc"] <= (learnable + 0.8 * noise) / result["n"]
    assert result["per_label"]["医疗费用"]["n"] + result["per_label"]["就医建议"]["n"] == result["n"]
    assert 0.0 <= result["coarse_acc"] <= 1.0


def _dxy_self_reports() -> list[str]:
    path = (
        intent_build.default_shared_dir() / "data/triage/dialog_diagnosis/dxy/dxy_dialog_data_dialog_v2.txt"
    )
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"(train|test)@", text)
    return [case["self_repo"] for chunk in parts[2::2] for case in ast.literal_eval(chunk)]


def test_patients_own_accounts_of_their_complaints_are_symptom_descriptions():
    """The 527 Dxy self-reports ("宝宝两个月，鼻塞流涕，咳嗽有痰…") are what triage receives: long,
    several complaints, often a question at the end. The search-query model alone calls many of them 其他."""
    reports = _dxy_self_reports()
    symptom = sum(intent.classify(report).intent == "symptom" for report in reports)
    assert len(reports) == 527
    assert symptom / len(reports) >= 0.95
