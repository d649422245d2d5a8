"""A complaint typed in English is rewritten into Chinese and read like any other (yiyun.triage.english)."""

import pytest

from yiyun.triage.english import is_english, to_chinese
from yiyun.triage.normalize import normalize


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("My 3 year old son has had a fever for two days, no cough", "3岁儿子发烧，2天，没有咳嗽"),
        ("I don't have a fever but I have a sore throat", "没有发烧，但是嗓子疼"),
        ("pain in my knee after playing football", "膝盖疼踢球"),
        ("I have a fever of 102 F", "发烧38.9度"),
        ("I am 30 weeks pregnant", "怀孕30周"),
        ("my baby is 2 months old", "我宝宝2个月大"),
    ],
)
def test_english_is_rewritten_into_the_chinese_triage_reads(message, expected):
    assert normalize(message) == expected


@pytest.mark.parametrize("message", ["我做了B超，PSA有点高", "BI-RADS 3类，乳腺结节", "NT报告2.8毫米", "头疼 headache"])
def test_chinese_with_an_abbreviation_is_left_alone(message):
    assert not is_english(message.lower())



@pytest.mark.parametrize(
    ("message", "flag"),
    [
        ("chest pain and cold sweat since this morning", 4),
        ("My dad suddenly can't speak and his face is drooping", 5),
        ("my 2 month old baby has a fever of 38.2", 13),
        ("I'm 36 weeks pregnant and the baby is not moving since yesterday", 17),
    ],
)
def test_an_emergency_told_in_english_is_an_emergency(engine, message, flag):
    result = engine.result(engine.start(message))
    assert flag in {f["id"] for f in result["red_flags"]} and result["care_level"] == "EMERGENCY_NOW"


@pytest.mark.parametrize(
    "message",
    ["I had chest pain yesterday but it is gone now", "I had a seizure ten years ago and I am fine now", "I do not have any chest pain, I want a check up", "no fever, no cough"],
)
def test_denied_or_resolved_signs_in_english_raise_no_flag(engine, message):
    assert engine.start(message)["red_flags"] == []


@pytest.mark.parametrize(
    ("message", "age", "sex", "codes"),
    [
        ("There's a lump in my breast", 40, "F", ("04.01",)),
        ("My knee hurts after running", 30, "M", ("04.03", "04.09", "25")),
        ("toothache for a week", 30, "M", ("12",)),
        ("My 3 year old son has had a fever for two days", None, None, ("07",)),
        ("I've had diarrhea for three days", 40, "M", ("03.02",)),
    ],
)
def test_an_english_complaint_reaches_its_department(engine, message, age, sex, codes):
    result = engine.result(engine.start(message, age=age, sex=sex))
    assert result["departments"][0]["standard_code"].startswith(codes), result["departments"][:3]


def test_english_words_without_a_glossary_row_are_dropped():
    assert to_chinese("the thing is my tummy ache") == "肚子疼"


def test_every_symptom_concept_has_an_english_question():
    from yiyun.triage.kb_files import read_english_questions, read_symptoms

    questions = read_english_questions()
    assert set(questions) == set(read_symptoms()) and all(q.endswith("?") for q in questions.values())


def test_the_flag_names_marked_for_translation_are_the_knowledge_base_s():
    from yiyun.triage.kb_files import read_json
    from yiyun.triage.redflags import TRANSLATABLE_TEXTS

    data = read_json("red_flags.json")
    assert set(TRANSLATABLE_TEXTS) == {f["name"] for f in data["flags"]} | {data["hotline"]}


def test_the_engine_runs_without_django_settings():
    """The evaluation and build scripts use the engine alone: marking texts for translation must not need Django."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "from yiyun.triage import get_engine; e = get_engine(); print(e.result(e.start('chest pain and cold sweat'))['care_level'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "EMERGENCY_NOW"


@pytest.mark.parametrize("text", ["TCT结果LSIL", "PHQ-9 18分，GAD-7 15分", "B超显示 cyst"])
def test_a_chinese_message_about_latin_test_names_is_not_english(text):
    assert not is_english(text.lower())


def test_english_mixed_with_a_chinese_word_is_still_english():
    assert is_english("my 3 year old has fever 发烧")
