"""Reading a message: normalisation, negation, temperature, duration and who the patient is."""

import pytest

from yiyun.triage.normalize import normalize
from yiyun.triage.polarity import polarity
from yiyun.triage.quantities import age_years, duration_days, pregnancy_week, temperature


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("孩子發燒三天", "孩子发烧3天"), ("体温３８．５℃", "体温38.5度"), ("一个多月", "1个多月"), ("一直吐，一侧无力", "一直吐，一侧无力")],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("烧到39度5", 39.5), ("体温三十八度五", 38.5), ("发烧38.2度", 38.2), ("高烧40度", 40.0), ("血压140/90", None), ("体重60公斤", None),
     ("烧到39度一", 39.1), ("39度一直不退", 39.0), ("38度一下午了", 38.0), ("发烧40度一直抽", 40.0)],
)
def test_temperature(text, expected):
    assert temperature(normalize(text)) == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [("发烧三天了", 3), ("咳嗽一个多月", 30), ("腰疼半年", 182.5), ("拉肚子两三天", 3), ("头痛十天了", 10)],
)
def test_duration(text, days):
    assert duration_days(normalize(text)) == pytest.approx(days)


def test_age_and_pregnancy_week_from_text():
    assert age_years(normalize("宝宝七个月，发烧")) == pytest.approx(7 / 12)
    assert age_years(normalize("我家孩子五岁，发烧两天")) == 5
    assert age_years(normalize("咳嗽一个多月了")) is None
    assert pregnancy_week(normalize("怀孕8周，有点恶心")) == 8


@pytest.mark.parametrize(
    ("message", "symptom"),
    [
        ("不发烧，就是嗓子疼", "发热"),
        ("没有咳嗽，流鼻涕", "咳嗽"),
        ("发烧已经退了，还有点流鼻涕", "发热"),
        ("昨天胸痛今天已经完全好了", "胸痛"),
        ("无发热，腹泻两次", "发热"),
        ("没有发烧、咳嗽，就是鼻塞", "咳嗽"),
    ],
)
def test_negated_or_resolved_symptoms_are_not_evidence(engine, message, symptom):
    evidence = engine.result(engine.start(message))["evidence"]
    assert symptom not in evidence["symptoms"]
    assert symptom in evidence["negated"]


def test_present_symptoms_are_found_with_colloquial_words(engine):
    evidence = engine.result(engine.start("拉肚子，嗓子疼，烧到39度5"))["evidence"]
    assert {"腹泻", "咽痛", "发热"} <= set(evidence["symptoms"])
    assert evidence["temperature"] == 39.5


def test_history_does_not_count_as_a_present_stroke(engine):
    result = engine.result(engine.start("我妈以前中过风现在恢复得很好想问下复查"))
    assert result["red_flags"] == []


@pytest.mark.parametrize(
    ("text", "years"),
    [("小男孩2周10，前天开始发烧", 2 + 10 / 12), ("女宝，一岁23天，拉肚子", 1.0), ("8周大的宝宝", 8 / 52), ("9个月男宝宝，2月2日发烧", 0.75)],
)
def test_children_ages_as_parents_write_them(text, years):
    assert age_years(normalize(text)) == pytest.approx(years)


def test_a_mother_asking_about_feeding_is_not_a_child(engine):
    patient = engine.result(engine.start("我是乙肝病毒携带者，可以给孩子喂奶吗"))["evidence"]["patient"]
    assert patient["child"] is False


def test_pregnancy_wins_over_the_babys_age(engine):
    result = engine.result(engine.start("怀孕七个月，宝宝今天一天都不怎么动"))
    assert 17 in {f["id"] for f in result["red_flags"]}


@pytest.mark.parametrize(("message", "symptom"), [("外阴骚痒好几天了", "外阴瘙痒"), ("查出来转氨酶生高", "转氨酶升高"), ("最近没谓口", "食欲不振")])
def test_a_pinyin_slip_inside_a_word_reads_as_the_word(engine, message, symptom):
    assert symptom in engine.result(engine.start(message))["evidence"]["symptoms"]


def test_a_pinyin_slip_in_a_disease_name_routes_like_the_name(engine):
    departments = engine.result(engine.start("前列线炎", sex="M", age=32))["departments"]
    assert departments[0]["standard_code"] == "04.04"


@pytest.mark.parametrize(("message", "symptom"), [("老人胃部舒服，想问问体检", "腹痛"), ("胃不疼，就是有点胀", "上腹痛")])
def test_a_sound_alike_that_changes_a_negation_is_not_a_slip(engine, message, symptom):
    assert symptom not in engine.result(engine.start(message))["evidence"]["symptoms"]


def test_two_character_sound_alikes_are_not_slips(engine):
    evidence = engine.result(engine.start("心里有点堵得慌，白天还好"))["evidence"]  # not 心理, not 百天 (a baby)
    assert "心里" not in evidence["body_parts_and_situations"]
    assert evidence["patient"]["child"] is False


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [("脚底有颗黑痣，听说会变成黑色素瘤", "黑色素瘤", "hypothetical"), ("乙肝容易发展成肝癌吗", "肝癌", "hypothetical"),
     ("乙肝现在转变成肝硬化了", "肝硬化", "present")],
)
def test_a_feared_turn_for_the_worse_is_hypothetical_one_that_happened_is_not(text, word, expected):
    start = text.index(word)
    assert polarity(text, start, start + len(word)) == expected


@pytest.mark.parametrize(("message", "week"), [("我现在三十四周，腿肿", 34), ("我36周了，见红了", 36), ("我已经咳嗽三周了", None),
                                              ("我这个病三十多周了", None), ("我12周了", None)])
def test_a_late_pregnancy_week_said_alone_is_a_gestational_week(message, week):
    assert pregnancy_week(normalize(message)) == week


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("我现在三十四周", None),  # a pregnancy week, not a symptom lasting 238 days
        ("产后三个月，大便出血", None),  # three months since the birth, not three months of bleeding
        ("脑梗出院一个月了，今天突然右手没劲", 0.5),
        ("手腕骨折打钢板半年了，阴天就疼", None),
        ("生完孩子半年了，胃疼两天", 2),
        ("骨折后疼了三天", 3),  # the pain's own duration, said after the event
    ],
)
def test_a_duration_that_dates_a_life_event_is_not_the_complaints(engine, text, days):
    reading = engine._read(text)
    assert reading.duration_days == (pytest.approx(days) if days is not None else None)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("糖尿病十年了，肚子疼两天", 2),  # the years date the diabetes, the two days are the pain's
        ("高血压二十年，胸闷三天", 3),
        ("胃病好几年了，这两天肚子疼", 2),
        ("鼻炎十年了，流鼻涕打喷嚏", 3650),  # no other duration: the illness's years are all the message says
        ("感冒三天了，发烧一天", 3),  # an acute illness's days are the complaint's
        ("肚子疼两年了，这两天加重", 730),  # a complaint's own years stay
        ("胃病2年，肚子疼，频率大概是1天两三次", 730),  # how often, not how long
    ],
)
def test_the_years_of_a_long_standing_illness_give_way_to_the_complaints_own_duration(engine, text, days):
    assert engine._read(text).duration_days == pytest.approx(days)


def test_an_acute_complaint_of_a_patient_with_a_long_standing_illness_is_triaged_by_its_own_duration(engine):
    result = engine.result(engine.start("糖尿病十年了，肚子疼两天", age=60))
    assert result["care_level"] == "WITHIN_24H" and "abdominal_pain_over_24h" in result["evidence"]["rules_fired"]


@pytest.mark.parametrize(
    ("text", "days"),
    [("产后三天，阴道出血很多", 3), ("生完孩子5天，下面出血很多", 5), ("生完孩子半年了，最近胃疼", 182.5),
     ("半年前生的孩子，最近大便出血", 182.5), ("宝宝生下来3天，黄疸", None), ("产后便秘", None)],
)
def test_days_since_birth(engine, text, days):
    assert engine._read(text).days_since_birth == (pytest.approx(days) if days is not None else None)
