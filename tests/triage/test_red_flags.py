"""The red-flag suite in the knowledge base: every emergency phrasing fires its flag, look-alikes stay quiet."""

import pytest

from yiyun.triage.evaluation import redflag_suite
from yiyun.triage.kb_files import read_json


def test_suite_has_at_least_ten_phrasings_per_flag():
    suite = read_json("red_flag_suite.json")
    counts = {}
    for case in suite["positives"]:
        counts[case["flag"]] = counts.get(case["flag"], 0) + 1
    assert sorted(counts) == list(range(1, 19))
    assert min(counts.values()) >= 10


def test_every_red_flag_phrasing_is_caught(engine):
    result = redflag_suite.run(engine)
    assert result["missed"] == []
    assert result["recall"] == 1.0


def test_look_alikes_raise_at_most_two_percent_false_alarms(engine):
    result = redflag_suite.run(engine)
    assert result["false_alarm_rate"] <= 0.02, result["false_alarms"]


def test_emergency_names_the_flag_and_says_call_120(engine):
    result = engine.result(engine.start("胸口像压了块大石头，出了一身冷汗"))
    assert result["care_level"] == "EMERGENCY_NOW"
    assert {"id": 4, "name": "疑似心梗胸痛"} in result["red_flags"]
    assert "立即拨打120或前往最近医院急诊" in result["care_advice"]
    assert result["status"] == "done" and result["question"] is None


def test_suicide_flag_gives_the_crisis_hotline(engine):
    result = engine.result(engine.start("我不想活了"))
    assert [f["id"] for f in result["red_flags"]] == [16]
    assert "400-161-9995" in result["care_advice"]
    assert "010-82951332" in result["crisis_hotline"]


def test_infant_fever_depends_on_age(engine):
    young = engine.result(engine.start("宝宝发烧38.2度", age=0.1))
    older = engine.result(engine.start("宝宝发烧38.2度", age=2))
    assert 13 in {f["id"] for f in young["red_flags"]}
    assert older["red_flags"] == []


@pytest.mark.parametrize(("message", "flagged"), [
    ("产后20天，宝宝发烧38度", True),  # the mother writes; the baby is 20 days old
    ("坐月子第15天，宝宝身上很烫，量了38.3", True),
    ("产后20天，我发烧38度，宝宝吃奶正常", False),  # her own fever: not the infant flag
    ("产后半年，宝宝发烧38度", False),  # a baby of six months
])
def test_a_mother_writing_soon_after_birth_about_her_feverish_baby(engine, message, flagged):
    result = engine.result(engine.start(message))
    assert (13 in {f["id"] for f in result["red_flags"]}) is flagged


def test_child_fever_with_stiff_neck_is_flagged_only_for_a_child_with_fever(engine):
    flagged = engine.result(engine.start("孩子发烧，脖子发硬，低头困难", age=6))
    assert 14 in {f["id"] for f in flagged["red_flags"]}
    no_fever = engine.result(engine.start("颈椎病，脖子僵硬，低头久了不舒服", age=40))
    assert no_fever["red_flags"] == []


def test_stroke_signs_that_are_already_over_still_need_a_doctor_today(engine):
    """A transient stroke (TIA) raises no red flag once over, but it is not routine: neurology today."""
    state = engine.start("我爸有高血压，今天早上说话突然不利索，现在好了，需要去看吗", age=66, sex="M")
    result = engine.result(state)
    assert result["red_flags"] == [] and result["care_level"] == "WITHIN_24H"
    assert result["evidence"]["rules_fired"] == ["transient_stroke_signs"]
    assert result["departments"][0]["standard_code"] == "03.03"
    assert "小中风" in result["care_advice"] and "120" in result["care_advice"]
    # It comes back: now it is an emergency, and stays one.
    again = engine.result(engine.add_message(state, "刚才又说不出话了，右手也没劲"))
    assert again["care_level"] == "EMERGENCY_NOW" and again["red_flags"][0]["id"] == 5
    # A resolved chest pain is no red flag and gets no stroke rule.
    other = engine.result(engine.start("昨天胸痛今天已经完全好了", age=40))
    assert other["red_flags"] == [] and "transient_stroke_signs" not in other["evidence"]["rules_fired"]


@pytest.mark.parametrize(("message", "age", "rule", "department"), [
    ("刚才胸口压着疼了十几分钟，出冷汗，现在好了", 58, "chest_pain_like_a_heart_attack_now_over", "03.04"),
    ("刚才突然晕倒了，现在醒了", 45, "fainting_needs_assessment", "03.04"),
    ("孩子刚才抽搐了两分钟，现在好了", 3, "seizure_needs_assessment", "07"),
])
def test_events_already_over_still_need_a_doctor_today(engine, message, age, rule, department):
    result = engine.result(engine.start(message, age=age))
    assert result["red_flags"] == [] and result["care_level"] == "WITHIN_24H"
    assert rule in result["evidence"]["rules_fired"]
    assert result["departments"][0]["standard_code"].startswith(department)
    assert "120" in result["care_advice"]


def test_a_first_seizure_is_an_emergency_even_when_it_has_stopped(engine):
    result = engine.result(engine.start("孩子第一次抽搐，现在好了", age=3))
    assert result["care_level"] == "EMERGENCY_NOW" and result["red_flags"][0]["id"] == 6


@pytest.mark.parametrize("message", ["小腿抽筋了", "站起来眼前一黑", "上次抽血晕针了，现在好了，想问体检注意什么"])
def test_cramps_and_a_moment_of_dizziness_are_not_same_day_events(engine, message):
    rules = engine.result(engine.start(message, age=40))["evidence"]["rules_fired"]
    assert not {"fainting_needs_assessment", "seizure_needs_assessment"} & set(rules)


@pytest.mark.parametrize(("message", "age", "rule"), [
    ("被流浪猫抓伤了", 30, "animal_bite_or_scratch"),
    ("三天前被狗咬了一口，还没打疫苗", 30, "animal_bite_or_scratch"),  # still due days later
    ("被钉子扎了脚", 35, "puncture_wound_tetanus"),
    ("开水烫伤了手，起了大水泡", 30, "burn_with_blisters"),
    ("鱼刺卡在喉咙里了", 40, "foreign_body_in_throat"),
    ("宝宝从床上摔下来，头上起了个包，一直哭", 1, "head_injury_in_a_young_child"),
    ("被马蜂蛰了好几下，全身起疙瘩", 30, "stings_with_a_general_reaction"),
])
def test_situations_that_need_a_doctor_today(engine, message, age, rule):
    result = engine.result(engine.start(message, age=age))
    assert result["care_level"] == "WITHIN_24H" and rule in result["evidence"]["rules_fired"]


@pytest.mark.parametrize(("message", "age"), [
    ("以前被狗咬过，打过疫苗了", 30), ("吃鱼的时候要小心鱼刺卡喉咙吗", 30), ("上周烫伤起了水泡，现在结痂了", 30),
    ("孩子两岁半，摔了一跤磕到额头", 2.5), ("蜜蜂蛰了一下，有点肿", 30),
])
def test_past_hypothetical_or_minor_situations_are_not_same_day(engine, message, age):
    assert engine.result(engine.start(message, age=age))["care_level"] != "WITHIN_24H"


@pytest.mark.parametrize(
    "message",
    ["脑梗出院一个月了，右手还是没劲", "中风三年了，左边身子一直没劲，想做康复", "脑梗后遗症，右手没劲"],
)
def test_the_lasting_deficit_of_a_known_stroke_is_not_a_new_stroke(engine, message):
    result = engine.result(engine.start(message))
    assert result["red_flags"] == [] and result["care_level"] != "EMERGENCY_NOW"
    assert result["departments"][0]["standard_code"].startswith(("03.03", "21", "50"))


@pytest.mark.parametrize(
    "message",
    [
        "脑梗出院一个月了，今天突然右手没劲",  # new and sudden
        "中风过一次，刚才又说话不清楚了",  # again
        "我爸脑梗后遗症，右手一直没劲，这两天越来越厉害了",  # worse
        "脑梗出院一个月了，右手没劲",  # not said to be what remained: still a stroke sign
        "右手一直没劲，会不会是脑梗",  # a stroke only feared, not known
        "脑梗2天了，右手还是没劲",  # days after a stroke is not yet its lasting deficit
    ],
)
def test_a_new_or_worse_deficit_after_a_stroke_stays_an_emergency(engine, message):
    assert 5 in {f["id"] for f in engine.result(engine.start(message))["red_flags"]}


@pytest.mark.parametrize(
    ("message", "flag"),
    [("产后一周大出血", 17), ("生完孩子5天，下面出血很多", 17), ("产后四十天，阴道出血很多", 17),
     ("产后两个月，下面出血量很大", 7), ("产后大便出血", 17)],
)
def test_bleeding_after_a_birth_within_its_window_is_an_emergency(engine, message, flag):
    result = engine.result(engine.start(message))
    assert flag in {f["id"] for f in result["red_flags"]} and result["care_level"] == "EMERGENCY_NOW"


@pytest.mark.parametrize(
    ("message", "first"),
    [("产后三个月，大便出血", "50.11"), ("产后三个月，咳嗽", "03.01"), ("顺产两个月了，下面还有点出血", None)],
)
def test_months_after_birth_the_woman_is_not_pregnant(engine, message, first):
    result = engine.result(engine.start(message))
    assert result["red_flags"] == [] and result["evidence"]["patient"]["pregnant"] is False
    if first:
        assert result["departments"][0]["standard_code"] == first


@pytest.mark.parametrize(
    "message",
    [
        "2004年诊断为肝硬化，当时有腹水、呕血，现在想吃中药调理",
        "年轻的时候由于车祸引起常常突然失去意识、四肢抽搐，到现在二十多年了吃药控制",
        "2011年因为吐血住院确诊肝硬化，当时失血很多做了手术，想问平时饮食注意什么",
    ],
)
def test_a_story_told_from_years_back_is_history(engine, message):
    assert engine.start(message)["red_flags"] == []


@pytest.mark.parametrize(
    ("message", "flag"),
    [
        ("2004年诊断肝硬化，当时吐过血，这次又吐了一大口血", 7),  # a new episode later in the message
        ("2015年得过脑梗，刚才突然半边身子动不了，说话也不清楚", 5),  # back to now between the year and the sign
        ("今天早上我爸摔倒了，当时就叫不醒了，没有呼吸", 1),  # 当时 points back to this morning
        ("年轻的时候得过胃溃疡，大便发黑好几天了，头晕", 7),  # the year's story ended with its clause
    ],
)
def test_a_sign_told_of_now_after_a_story_from_years_back_still_fires(engine, message, flag):
    result = engine.result(engine.start(message))
    assert flag in {f["id"] for f in result["red_flags"]} and result["care_level"] == "EMERGENCY_NOW"


@pytest.mark.parametrize(
    ("message", "flagged"),
    [
        ("怀孕36周，从昨天开始没有胎动", True),
        ("孕32周，今天一直没感觉到胎动", True),
        ("34周了，胎动好像没了", True),  # the week alone, at the start of the message
        ("怀孕12周，还没有胎动正常吗", False),  # not yet felt: normal before 16-22 weeks
        ("怀孕36周，胎动正常，没有减少", False),
    ],
)
def test_no_fetal_movement_late_in_pregnancy_is_an_emergency(engine, message, flagged):
    assert (17 in {f["id"] for f in engine.start(message, sex="F")["red_flags"]}) is flagged
@pytest.mark.parametrize(("message", "age"), [
    ("孩子抽风了，两眼上翻", None), ("宝宝发烧惊厥了，现在还在抽", 1), ("我儿子在抽，嘴里吐白沫", None), ("我爸抽风了快来人", None),
    # a childhood illness, or 当时 pointing back to this morning, does not make today's fit history
    ("小时候得过脑膜炎，今天抽搐了", None), ("今天早上孩子突然抽搐，当时口吐白沫", 4),
    ("老公小时候得过癫痫，刚才突然抽搐，口吐白沫，叫不醒", None), ("孩子正在抽搐，小时候也抽过", 6),
])
def test_a_fit_still_going_on_is_an_emergency(engine, message, age):
    """Its length is unknown and it may be a first seizure (NHS: call 999 for either)."""
    result = engine.result(engine.start(message, age=age))
    assert result["care_level"] == "EMERGENCY_NOW" and 6 in {f["id"] for f in result["red_flags"]}


@pytest.mark.parametrize(("message", "level"), [
    ("孩子刚才抽搐了两分钟，现在好了", "WITHIN_24H"),  # over and short: the same-day rule
    ("孩子以前抽过一次，现在好好的", "ROUTINE"),
    ("孩子小时候抽过一次，现在好好的", "ROUTINE"),
    ("孩子去年抽搐过一次，当时口吐白沫，后来查了脑电图正常", "ROUTINE"),
    ("孩子眼皮抽搐好几天了", "ROUTINE"),  # one muscle twitching is no fit
    ("宝宝睡着了手脚抽动一下，正常吗", "ROUTINE"),
])
def test_a_fit_that_is_over_or_a_twitch_is_not_an_emergency(engine, message, level):
    result = engine.result(engine.start(message, age=3))
    assert result["red_flags"] == [] and result["care_level"] == level


@pytest.mark.parametrize("message", [
    "月经量特别多，人头晕得站不稳", "来大姨妈量特别大，眼前发黑，心慌", "阴道出血很多，头晕心慌", "下面流血不止，人快晕倒了",
])
def test_heavy_vaginal_bleeding_with_dizziness_or_fainting_is_an_emergency(engine, message):
    result = engine.result(engine.start(message, age=35, sex="F"))
    assert result["care_level"] == "EMERGENCY_NOW" and 7 in {f["id"] for f in result["red_flags"]}


@pytest.mark.parametrize("message", ["月经量多，有血块", "月经量多，经常头晕，贫血", "这个月例假量很多，正常吗"])
def test_heavy_periods_without_signs_of_shock_are_not_an_emergency(engine, message):
    assert engine.result(engine.start(message, age=35, sex="F"))["red_flags"] == []


@pytest.mark.parametrize("message", [
    "我爸中风后一直说话不清，这两天加重了", "中风两年了，最近说话越来越不清楚", "我爸中风后左手一直没力气，这两天加重了",
])
def test_a_deficit_of_a_known_stroke_getting_worse_is_an_emergency(engine, message):
    result = engine.result(engine.start(message, age=70))
    assert result["care_level"] == "EMERGENCY_NOW" and 5 in {f["id"] for f in result["red_flags"]}


@pytest.mark.parametrize("message", ["中风十年了，说话一直不太清楚", "我爸中风后一直说话不清，吃了药也没加重"])
def test_a_stable_deficit_of_a_known_stroke_is_not_an_emergency(engine, message):
    result = engine.result(engine.start(message, age=70))
    assert result["red_flags"] == [] and result["care_level"] != "EMERGENCY_NOW"


@pytest.mark.parametrize("message", [
    "产后20天，我发烧38度", "生完孩子10天，发烧38.5，乳房胀痛", "剖腹产后一周，发烧，伤口红肿", "产后两周，发烧，恶露有臭味",
])
def test_a_mothers_fever_in_the_puerperium_needs_a_doctor_today(engine, message):
    result = engine.result(engine.start(message))
    assert result["care_level"] == "WITHIN_24H" and "puerperal_fever" in result["evidence"]["rules_fired"]
    assert result["departments"][0]["standard_code"] == "05.02" and "120" in result["care_advice"]


@pytest.mark.parametrize("message", ["产后三个月，发烧38度", "坐月子低烧37.5"])
def test_a_fever_months_after_birth_or_a_low_one_is_no_puerperal_fever(engine, message):
    assert "puerperal_fever" not in engine.result(engine.start(message))["evidence"]["rules_fired"]


@pytest.mark.parametrize("message", [
    "做完人流第10天了，还有出血，小腹隐隐作痛", "人流后一周，出血多，肚子疼", "药流后半个月还在出血，肚子疼，发烧",
    "人流后20天，肚子疼，白带有异味", "做了药流，今天发烧38度5",
])
def test_warning_signs_after_an_abortion_need_a_doctor_today(engine, message):
    result = engine.result(engine.start(message, sex="F"))
    assert result["care_level"] == "WITHIN_24H" and "after_abortion_warning_signs" in result["evidence"]["rules_fired"]
    assert "120" in result["care_advice"]


@pytest.mark.parametrize("message", [
    "做完人流一周了，还有少量出血", "人流后第三天，有点出血，肚子有点疼",  # expected in the first days
    "以前做过两次人流，现在肚子疼，有点出血", "人流两年了，一直没怀上",
])
def test_expected_or_past_abortion_complaints_are_not_same_day(engine, message):
    assert "after_abortion_warning_signs" not in engine.result(engine.start(message, sex="F"))["evidence"]["rules_fired"]


@pytest.mark.parametrize("message", [
    "月经推迟了一周，今天有点出血，小肚子隐隐作痛", "例假晚了十来天，下面见红，肚子有点疼", "停经45天，今天褐色分泌物，小腹疼",
])
def test_a_late_period_with_bleeding_and_pain_needs_a_doctor_today(engine, message):
    result = engine.result(engine.start(message, sex="F"))
    assert result["care_level"] == "WITHIN_24H" and "possible_ectopic_pregnancy" in result["evidence"]["rules_fired"]
    assert result["departments"][0]["standard_code"] == "05.01" and "120" in result["care_advice"]


@pytest.mark.parametrize("message", [
    "大姨妈推迟了一周，今天来了，肚子疼", "月经推迟了几天，肚子有点胀", "月经推迟，没有出血，肚子有点疼",
    "月经没推迟，今天出血肚子疼",
])
def test_a_period_come_late_or_a_late_one_without_bleeding_is_no_ectopic_warning(engine, message):
    assert "possible_ectopic_pregnancy" not in engine.result(engine.start(message, sex="F"))["evidence"]["rules_fired"]


def test_soaking_a_pad_an_hour_needs_a_doctor_today(engine):
    result = engine.result(engine.start("来例假出血特别多，一个小时就要换一片卫生巾", age=35, sex="F"))
    assert result["care_level"] == "WITHIN_24H" and "heavy_bleeding_a_pad_an_hour" in result["evidence"]["rules_fired"]
    assert engine.result(engine.start("例假量大，一天换五六片", age=35, sex="F"))["care_level"] != "WITHIN_24H"


@pytest.mark.parametrize("message", [
    "这两周一爬坡胸口就发紧，停下来三四分钟就缓过来了",
    "最近上楼胸口像压了块石头，歇一歇就好",
    "干活的时候心口发闷，坐下来一会儿就好",
])
def test_chest_tightness_on_exertion_that_rest_relieves_is_angina_to_see_today(engine, message):
    result = engine.result(engine.start(message, age=58, sex="M"))
    assert result["care_level"] == "WITHIN_24H" and "exertional_chest_pain" in result["evidence"]["rules_fired"]
    assert result["departments"][0]["standard_code"] == "03.04" and "120" in result["care_advice"]


@pytest.mark.parametrize("message", [
    "胸口像有块石头压着，喘不上气",  # happening now
    "一爬楼胸口就像石头压着，以前歇会就好，这次歇了二十分钟还不好",  # this episode does not pass
    "一上楼胸口就像压着大石头，歇一会就好，可这次出了一身冷汗",
    "一上楼胸口就像压着石头，喘不上气，最近越来越频繁，歇一下就好",  # crescendo angina
])
def test_chest_pressure_now_or_worse_than_usual_stays_an_emergency(engine, message):
    result = engine.result(engine.start(message, age=60, sex="M"))
    assert result["care_level"] == "EMERGENCY_NOW" and any(f["id"] == 4 for f in result["red_flags"])


@pytest.mark.parametrize("message", ["一爬楼就胸闷，歇一会就好，好几年了", "健身房练胸以后胸口肌肉疼", "上楼梯胸口不闷，就是腿软"])
def test_years_of_the_same_pattern_or_a_strained_muscle_is_not_the_angina_rule(engine, message):
    assert "exertional_chest_pain" not in engine.result(engine.start(message, age=50, sex="M"))["evidence"]["rules_fired"]


@pytest.mark.parametrize("message", ["大姨妈一来就疼得直打滚，每个月都这样", "好朋友一来肚子疼得受不了，每月如此"])
def test_period_pain_that_comes_every_month_is_no_emergency(engine, message):
    result = engine.result(engine.start(message, age=20, sex="F"))
    assert result["care_level"] != "EMERGENCY_NOW" and result["departments"][0]["standard_code"] == "05.01"


def test_a_friend_in_severe_pain_is_still_an_emergency(engine):
    assert engine.result(engine.start("我好朋友肚子疼得直打滚"))["care_level"] == "EMERGENCY_NOW"
