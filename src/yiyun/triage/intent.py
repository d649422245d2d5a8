"""Intent of a triage chat message: which KUAKE-QIC question type it is, and what the product does with it.

The model is a linear classifier over character n-grams and hand-written cue features, trained by
`python -m yiyun.triage.intent_build` and shipped as `kb/intent_model.bin`. Scoring is pure Python:
no numpy is needed to classify, only to train.
"""

from __future__ import annotations

import json
import math
import re
import struct
import sys
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "kb" / "intent_model.bin"
MODEL_MAGIC = b"YIYUN-INTENT\x00"
MODEL_FORMAT = 1
NGRAM_ORDERS = (1, 2, 3, 4)

# The 11 KUAKE-QIC labels and the product intent each one leads to.
LABEL_TO_INTENT: dict[str, str] = {
    "病情诊断": "symptom",  # "头痛呕吐是怎么回事": describes symptoms, wants to know what it is
    "治疗方案": "symptom",  # "孩子发烧怎么办": has a complaint and wants it handled
    "病因分析": "other",  # "脂肪肝是怎么形成的": knowledge about a named disease
    "疾病表述": "other",  # "白癜风的症状有哪些"
    "后果表述": "other",  # "早泄的危害有哪些"
    "就医建议": "where_to_go",  # "哪家医院看癫痫好", "挂什么科"
    "指标解读": "report",  # "谷丙转氨酶偏高60严重吗"
    "医疗费用": "price",  # "白内障手术多少钱"
    "功效作用": "drug",  # "阿昔洛韦乳膏有什么作用"
    "注意事项": "drug",  # "儿童能吃复方甘草片吗" (without a drug word it falls back to "other")
    "其他": "other",
}
INTENTS = ("symptom", "drug", "report", "price", "where_to_go", "other")

# A drug or remedy is named: decides whether a 注意事项 question is about a drug.
_DRUG_WORDS = re.compile(
    r"药|片|胶囊|颗粒|丸|冲剂|口服液|注射|针剂|打针|输液|软膏|乳膏|凝胶|栓|喷剂|滴眼|眼药水|糖浆|疫苗|"
    r"抗生素|激素|维生素|钙|叶酸|头孢|阿莫西林|布洛芬|阿司匹林|中药|西药|偏方|保健品"
)

# A complaint in the patient's words, and the marks of a question: a bare complaint ("胸口闷得慌，出冷汗")
# or a patient's account of several complaints is a symptom description whatever KUAKE label the
# search-query model gives it (the model learnt from short search queries, not from such accounts).
_SYMPTOM_WORDS = re.compile(
    r"疼|痛|痒|发烧|发热|烧到|咳|吐|呕|恶心|腹泻|拉肚子|拉稀|便秘|晕|肿|出血|流血|便血|尿血|麻|胀|闷|憋|喘|"
    r"心慌|心悸|冷汗|抽搐|抽筋|昏|乏力|无力|失眠|难受|不舒服|皮疹|疹子|起包|疙瘩|硬块|肿块|鼻塞|流鼻涕|"
    r"耳鸣|看不清|尿频|尿急|发冷|寒战|酸|喷嚏|鼻涕|流涕|鼻血|痰|稀便|大便|腹胀|疹|水泡|疱|红点|瘙痒|"
    r"吐奶|溢奶|呛奶|哭闹|口水|气短|气促|耳朵流|白带|体温|0度"
)
_QUESTION_MARKS = re.compile(
    r"吗|么\W*$|呢|\?|？|什么|啥|怎|咋|哪|多少|是否|能否|可否|会不会|是不是|有没有|如何|为何|为什么"
)

# Question cues: how people ask each kind of question. Their weights are learned, like the n-grams.
_CUES: dict[str, str] = {
    "treat": r"怎么办|咋办|如何治|怎么治|怎样治|咋治|怎么医|如何医|治疗方法|治疗方式|治疗办法|疗法|吃什么药|"
    r"用什么药|吃啥药|怎么调理|如何调理|偏方|秘方|怎么缓解|如何缓解|怎样缓解|怎么消除|怎么去除|怎么去掉|"
    r"如何去除|怎么止|怎样才能|如何才能|怎么才能|有什么办法|有什么方法|妙招|怎么减|怎么降|如何降",
    "where": r"哪家|哪个医院|哪间|什么医院|医院好|医院哪|哪里治|哪里看|哪里好|哪儿|什么科|挂什么|挂哪|"
    r"看什么科|哪个科|去哪|专家|专科|门诊|好的医院|推荐.*医|要去医院|去医院吗|需要就诊|需要就医",
    "price": r"多少钱|费用|价格|价钱|价位|花费|花多少|贵不贵|贵吗|收费|要钱|钱|报销|医保",
    "report": r"偏高|偏低|升高|降低|[高低]吗|高是|低是|超标|指标|正常值|参考值|范围|阳性|阴性|弱阳|化验|"
    r"报告|检查结果|单子|b超|彩超|ct|核磁|多少正常|什么意思|0.*(正常|高|低)",
    "diag": r"怎么回事|咋回事|怎么了|什么情况|啥情况|是什么病|什么病|啥病|是不是|是否是|是否得|得了什么|"
    r"患了什么|正常吗|有问题吗|要紧吗|有事吗",
    "cause": r"为什么|为何|原因|怎么引起|什么引起|引起的|导致的|造成的|诱因|病因|怎么得的|怎么形成|如何形成|怎么会",
    "care": r"能吃|可以吃|能不能吃|不能吃|能否吃|吃什么好|吃什么水果|吃什么食物|忌口|禁忌|注意|饮食|能喝|可以喝|"
    r"能不能喝|能用|可以用|能不能用|能否|可以吗|行吗|护理|要吃.*吗",
    "effect": r"作用|功效|效果|疗效|管用|有用吗|有效吗|好用吗|副作用|能治.*吗",
    "conseq": r"会不会|危害|后果|影响|有害|坏处|后遗症|伤害|会导致|会引起|会造成|会得|会怀孕|怀孕吗|风险|严重吗|癌变",
    "desc": r"症状|表现|征兆|什么是|是什么$|传染|遗传|能治愈|能治好|治得好|根治吗|会好吗|复发|并发症|区别|多久|几天|能自愈",
}
_CUE_PATTERNS = {name: re.compile(pattern) for name, pattern in _CUES.items()}
_CLAUSE_BREAK = re.compile(r"[\s?？!！。.,，、~…;；:：_\-—（）()【】\[\]\"“”'‘’/\\|]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class IntentResult:
    """What a message asks: the KUAKE-QIC `label`, the model's `confidence` in it (0–1), and the
    product `intent` (one of INTENTS) that the triage chat acts on."""

    label: str
    confidence: float
    intent: str


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, every number written as 0 (the value does not change the intent)."""
    return _NUMBER.sub("0", unicodedata.normalize("NFKC", text).lower())


def clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE_BREAK.split(text) if part]


def features(text: str) -> list[str]:
    """The model's input: character 1–4-grams, the first and last characters, and question cues (with
    whether they occur in the first or a later clause, and in the last one)."""
    parts = clauses(normalise(text)) or [""]
    joined = " ".join(parts)
    found = [joined[i : i + n] for n in NGRAM_ORDERS for i in range(len(joined) - n + 1)]
    found += ["^" + parts[0][:2], parts[-1][-2:] + "$", parts[-1][-3:] + "$"]
    for position, part in enumerate(parts):
        where = "CF:" if position == 0 else "CN:"
        for name, pattern in _CUE_PATTERNS.items():
            if pattern.search(part):
                found += ["C:" + name, where + name]
                if position == len(parts) - 1:
                    found.append("CL:" + name)
    return found


def product_intent(label: str, text: str) -> str:
    """The product intent for a KUAKE label, refined by two rules: a 注意事项 question names a drug to
    count as "drug"; a message the label leaves at "other" or "report" is a "symptom" description when
    it states a complaint without asking anything ("烧到39度5"), and one left at "other" also when it
    names two complaints or more (a patient's own account, question or not)."""
    intent = LABEL_TO_INTENT.get(label, "other")
    text = normalise(text)
    if label == "注意事项" and not _DRUG_WORDS.search(text):
        intent = "other"
    if intent in ("other", "report"):
        complaints = set(_SYMPTOM_WORDS.findall(text))
        asks = bool(_QUESTION_MARKS.search(text))
        if (complaints and not asks) or (intent == "other" and len(complaints) >= 2):
            intent = "symptom"
    return intent


class IntentModel:
    """A trained model: TF-IDF weighting (sublinear tf, l2 norm) then a multinomial logistic regression."""

    def __init__(
        self, labels: list[str], vocabulary: list[str], idf: array, weights: array, bias: list[float]
    ):
        self.labels = labels
        self.index = {feature: i for i, feature in enumerate(vocabulary)}
        self.idf = idf
        self.weights = weights  # row-major, len(vocabulary) x len(labels)
        self.bias = bias

    def probabilities(self, text: str) -> list[float]:
        counts = Counter(i for i in map(self.index.get, features(text)) if i is not None)
        values = {i: (1.0 + math.log(n)) * self.idf[i] for i, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        k = len(self.labels)
        scores = list(self.bias)
        weights = self.weights
        for i, value in values.items():
            scale = value / norm
            row = i * k
            for j in range(k):
                scores[j] += scale * weights[row + j]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def classify(self, text: str) -> IntentResult:
        probs = self.probabilities(text)
        best = max(range(len(probs)), key=probs.__getitem__)
        label = self.labels[best]
        return IntentResult(label=label, confidence=round(probs[best], 4), intent=product_intent(label, text))


def dump_model(
    path: Path, *, labels: list[str], vocabulary: list[str], idf, weights, bias, meta: dict
) -> None:
    """Write the model file: magic, a JSON header, the vocabulary (UTF-8, one feature a line), then
    little-endian float32 arrays idf[V], weights[V x K] row-major and bias[K]."""
    header = json.dumps(
        {"format": MODEL_FORMAT, "labels": labels, "n_features": len(vocabulary), **meta},
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    vocab_bytes = "\n".join(vocabulary).encode("utf-8")
    floats = array("f", [float(v) for v in idf])
    floats.extend(float(v) for v in weights)
    floats.extend(float(v) for v in bias)
    if sys.byteorder != "little":
        floats.byteswap()
    with open(path, "wb") as out:
        out.write(MODEL_MAGIC)
        out.write(struct.pack("<II", len(header), len(vocab_bytes)))
        out.write(header)
        out.write(vocab_bytes)
        out.write(floats.tobytes())


def read_model(path: Path) -> tuple[dict, IntentModel]:
    data = path.read_bytes()
    if not data.startswith(MODEL_MAGIC):
        raise ValueError(f"{path} is not a Yiyun intent model")
    offset = len(MODEL_MAGIC)
    header_len, vocab_len = struct.unpack_from("<II", data, offset)
    offset += 8
    header = json.loads(data[offset : offset + header_len])
    offset += header_len
    if header["format"] != MODEL_FORMAT:
        raise ValueError(f"{path}: model format {header['format']}, expected {MODEL_FORMAT}")
    vocabulary = data[offset : offset + vocab_len].decode("utf-8").split("\n")
    offset += vocab_len
    floats = array("f")
    floats.frombytes(data[offset:])
    if sys.byteorder != "little":
        floats.byteswap()
    n, k = len(vocabulary), len(header["labels"])
    if len(floats) != n + n * k + k:
        raise ValueError(f"{path}: {len(floats)} weights for {n} features and {k} labels")
    model = IntentModel(
        header["labels"], vocabulary, floats[:n], floats[n : n + n * k], list(floats[n + n * k :])
    )
    return header, model


@lru_cache(maxsize=1)
def load_model() -> IntentModel:
    """The shipped model, read once per process on first use."""
    return read_model(MODEL_PATH)[1]


def classify(text: str) -> IntentResult:
    """The intent of one message, e.g. classify("挂什么科") -> IntentResult("就医建议", 0.9, "where_to_go")."""
    return load_model().classify(text)


def evaluate(shared_dir: Path) -> dict:
    """Accuracy on KUAKE-QIC dev by stratified 5-fold cross-validation, retraining on each fold's training
    part only. Returns {"intent_acc", "folds", "n", "method", ...}. Needs numpy and scipy."""
    from yiyun.triage.intent_build import cross_validate, load_dataset

    texts, labels = load_dataset(shared_dir)
    return cross_validate(texts, labels)
