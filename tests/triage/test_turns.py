"""Turn flow: questions while uncertain, at most five, sticky emergencies, JSON-serialisable state and result."""

import json

import pytest

from yiyun.triage import TriageError


def test_asks_a_yes_no_unsure_question_with_departments_already_ranked(engine):
    state = engine.start("肚子疼")
    result = engine.result(state)
    assert result["status"] == "asking"
    assert [o["value"] for o in result["question"]["options"]] == ["yes", "no", "unsure"]
    assert len(result["departments"]) == 3
    assert result["ai_label"] == "由AI生成，仅供参考"
    json.dumps(state, ensure_ascii=False)
    json.dumps(result, ensure_ascii=False)


def test_never_more_than_five_questions(engine):
    for answer in ("yes", "no", "unsure"):
        state = engine.start("不舒服，肚子疼，有点恶心")
        while state["status"] == "asking":
            state = engine.answer(state, state["pending_question"], answer)
        assert len(state["asked"]) <= 5
        assert engine.result(state)["status"] == "done"


def test_answers_are_recorded_as_evidence(engine):
    state = engine.start("肚子疼")
    question = state["pending_question"]
    state = engine.answer(state, question, "yes")
    evidence = engine.result(state)["evidence"]
    assert {"question_id": question, "answer": "yes"} in evidence["answers"]


def test_wrong_question_or_answer_is_rejected(engine):
    state = engine.start("肚子疼")
    with pytest.raises(TriageError):
        engine.answer(state, "not-asked", "yes")
    with pytest.raises(TriageError):
        engine.answer(state, state["pending_question"], "maybe")


def test_emergency_is_sticky_when_the_family_minimises_it(engine):
    state = engine.start("我爸突然嘴歪了，说话也不清楚")
    assert engine.result(state)["care_level"] == "EMERGENCY_NOW"
    state = engine.add_message(state, "现在好像好点了，应该没什么事吧，不用去医院了")
    result = engine.result(state)
    assert result["care_level"] == "EMERGENCY_NOW"
    assert 5 in {f["id"] for f in result["red_flags"]}


def test_a_later_message_is_checked_for_red_flags(engine):
    state = engine.start("肚子疼")
    state = engine.add_message(state, "刚才吐了好多血")
    assert engine.result(state)["care_level"] == "EMERGENCY_NOW"


def test_high_fever_without_red_flags_is_within_24h(engine):
    result = engine.result(engine.start("发烧39度5，头有点疼", age=30))
    assert result["red_flags"] == []
    assert result["care_level"] == "WITHIN_24H"
    assert "fever_39_or_more" in result["evidence"]["rules_fired"]


def test_child_fever_for_five_days_is_within_24h(engine):
    result = engine.result(engine.start("孩子发烧5天了，38度左右", age=4))
    assert result["care_level"] == "WITHIN_24H"


def test_mild_cold_is_self_care_with_advice_and_when_to_come_back(engine):
    state = engine.start("流鼻涕，打喷嚏，嗓子有点疼，一天了", age=28)
    while state["status"] == "asking":
        state = engine.answer(state, state["pending_question"], "no")
    result = engine.result(state)
    assert result["care_level"] == "SELF_CARE"
    assert "请及时就医" in result["care_advice"]


def test_conditions_are_labelled_possible_not_diagnoses(engine):
    result = engine.result(engine.start("咳嗽，发烧，有黄痰", age=30))
    assert result["conditions"]
    assert all(c["label"] == "可能相关" for c in result["conditions"])


def test_a_new_message_while_a_question_is_pending_does_not_use_up_a_question(engine):
    state = engine.start("肚子疼")
    assert len(state["asked"]) == 1
    state = engine.add_message(state, "还有点拉肚子")
    assert len(state["asked"]) <= 1
    assert "腹泻" in engine.result(state)["evidence"]["symptoms"]


def test_a_mild_sprain_can_be_cared_for_at_home(engine):
    state = engine.start("跑步崴了脚，有点肿，还能走路", age=25)
    while state["status"] == "asking":
        state = engine.answer(state, state["pending_question"], "no")
    result = engine.result(state)
    assert result["care_level"] == "SELF_CARE"
    assert "冰敷" in result["care_advice"]


@pytest.mark.parametrize("message", ["", "？？？", "😭😭头疼", "I have a fever", "发烧" * 500, "体温100度", "怀孕99周"])
def test_odd_messages_give_a_complete_result(engine, message):
    state = engine.start(message)
    while state["status"] == "asking":
        state = engine.answer(state, state["pending_question"], "unsure")
    result = engine.result(state)
    assert len(result["departments"]) == 3
    assert result["care_level"] in ("EMERGENCY_NOW", "WITHIN_24H", "ROUTINE", "SELF_CARE")
    json.dumps(result, ensure_ascii=False)


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("一直吐，吃什么吐什么", "persistent_vomiting"),
        ("肚子疼了两天了，没有拉肚子", "abdominal_pain_over_24h"),
        ("哮喘又犯了，喘得厉害", "asthma_attack"),
        ("摔了一跤，手腕肿得厉害，动不了", "possible_fracture"),
    ],
)
def test_within_24h_rules(engine, message, rule):
    result = engine.result(engine.start(message, age=35))
    assert result["care_level"] in ("WITHIN_24H", "EMERGENCY_NOW")
    if result["care_level"] == "WITHIN_24H":
        assert rule in result["evidence"]["rules_fired"]


def _final(engine, message, age):
    state = engine.start(message, age=age)
    while state["status"] == "asking":
        state = engine.answer(state, state["pending_question"], "no")
    return engine.result(state)


def test_a_medicine_that_did_not_help_is_no_longer_home_care(engine):
    assert _final(engine, "嗓子疼两天了", 30)["care_level"] == "SELF_CARE"
    assert _final(engine, "嗓子疼两天了，吃了消炎药还是疼", 30)["care_level"] == "ROUTINE"
    assert _final(engine, "拉肚子一天，吃了黄连素也不管用", 30)["care_level"] == "ROUTINE"


def test_a_rash_after_a_medicine_is_seen_by_a_doctor(engine):
    assert _final(engine, "身上起了几个红疙瘩，有点痒", 30)["care_level"] == "SELF_CARE"
    assert _final(engine, "吃了头孢以后身上起了几个红疙瘩，有点痒", 30)["care_level"] == "ROUTINE"


def test_a_woman_giving_only_her_week_is_pregnant_for_the_red_flags(engine):
    result = engine.result(engine.start("我34周了，今天见红了", age=31, sex="F"))
    assert result["care_level"] == "EMERGENCY_NOW"
    assert result["departments"][0]["standard_code"] == "05.02"


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("手腕骨折打钢板半年了，阴天就疼", "ROUTINE"),  # an old, treated fracture
        ("脚扭伤两个月了，还是疼", "ROUTINE"),
        ("两个月前骨折了，现在还是疼", "ROUTINE"),
        ("骨折打钢板三天了，现在肿得厉害", "WITHIN_24H"),  # a fresh one still needs a doctor today
        ("腿骨折打钢板半年了，今天又摔了一跤，肿得厉害动不了", "WITHIN_24H"),  # a new fall on an old fracture
    ],
)
def test_an_injury_dated_weeks_back_is_not_fresh(engine, message, level):
    result = engine.result(engine.start(message, age=40))
    assert result["care_level"] == level
    assert result["departments"][0]["standard_code"] == "04.03"  # an old injury still names the organ


def test_a_complaint_after_an_operation_is_not_home_care(engine):
    result = engine.result(engine.start("胃癌手术后一年多了，现在胃胀"))
    assert result["care_level"] != "SELF_CARE"


@pytest.mark.parametrize("message", ["最近胃疼", "最近吃完饭总感觉胃胀痛", "肚子疼了一阵子"])
def test_a_recent_stomach_ache_of_unstated_length_is_routine(engine, message):
    """最近 says the pain is recent, not that an acute pain has lasted more than a day (reference: abdominal pain >24-36 h)."""
    result = engine.result(engine.start(message, age=40))
    assert result["care_level"] == "ROUTINE" and "abdominal_pain_over_24h" not in result["evidence"]["rules_fired"]


@pytest.mark.parametrize("message", ["肚子疼两天", "这几天肚子疼", "最近肚子疼了三天"])
def test_an_abdominal_pain_of_a_stated_day_or_more_needs_a_doctor_today(engine, message):
    result = engine.result(engine.start(message, age=40))
    assert result["care_level"] == "WITHIN_24H" and "abdominal_pain_over_24h" in result["evidence"]["rules_fired"]
