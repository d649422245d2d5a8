"""How patients write when they have few medical words: shorthand typed inside Chinese, their own sex and age at the
start, comparisons, what they cannot do, and the baby named by a breastfeeding mother."""

import pytest

from yiyun.triage.normalize import normalize, spaces_as_commas
from yiyun.triage.polarity import is_comparison
from yiyun.triage.quantities import age_years


def codes(result):
    return [d["standard_code"] for d in result["departments"]]


def route(engine, text, **patient):
    return engine.result(engine.start(text, **patient))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ru腺胀痛", "乳腺胀痛"),
        ("jzx结节4a类", "甲状腺结节4a类"),
        ("xy 160/100，头胀", "血压 160/100，头胀"),
        ("xt偏高", "血糖偏高"),
        ("男，pp旁边流黄水", "男，屁屁旁边流黄水"),
        ("dd那里皮翻不下来", "小弟弟那里皮翻不下来"),
        ("怀bb五个月了", "怀孕5个月了"),
    ],
)
def test_shorthand_typed_inside_chinese_is_read_as_its_word(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("我dd发烧了", "我dd发烧了"),  # a younger brother, not a body part
        ("我dd头疼发烧三天了", "我dd头疼发烧3天了"),
        ("我mm流鼻涕两天了", "我mm流鼻涕2天了"),  # a younger sister
        ("右输尿管结石8mm疼得打滚", "右输尿管结石8mm疼得打滚"),  # millimetres
        ("脸上擦了bb霜过敏", "脸上擦了bb霜过敏"),  # a face cream
        ("xy是什么意思", "xy是什么意思"),  # no reading after it
    ],
)
def test_shorthand_is_left_alone_where_it_means_something_else(raw, expected):
    assert normalize(raw) == expected


def test_school_years_are_no_durations_but_other_numbers_after_gao_still_convert():
    assert normalize("高三天天坐着刷题") == "高三天天坐着刷题"
    assert normalize("发烧三天了") == "发烧3天了"
    assert normalize("发烧最高三十九度五") == "发烧最高39度5"
    assert normalize("血糖高三年了") == "血糖高3年了"


def test_a_fever_peak_with_gao_keeps_its_temperature(engine):
    result = route(engine, "孩子发烧最高三十九度八，精神很差")
    assert result["evidence"]["temperature"] == 39.8
    assert result["care_level"] == "WITHIN_24H"


def test_trembling_as_a_measure_of_pain_is_no_tremor(engine):
    assert normalize("孩子一吸就疼得发抖") == "孩子一吸就疼得厉害"
    assert "震颤" not in route(engine, "乳头疼得发抖")["evidence"]["symptoms"]
    assert "震颤" in route(engine, "手一直发抖")["evidence"]["symptoms"]


@pytest.mark.parametrize(("text", "age", "sex"), [("女，35，乳腺胀痛", 35, "F"), ("男 28，屁股旁边流水", 28, "M")])
def test_sex_and_a_bare_age_at_the_start_are_the_writers(engine, text, age, sex):
    assert age_years(normalize(text)) == age
    patient = route(engine, text)["evidence"]["patient"]
    assert (patient["age_years"], patient["sex"]) == (age, sex)


def test_a_student_who_gives_sex_and_age_is_a_boy_not_a_child(engine):
    patient = route(engine, "男生，16岁，dd那里皮翻不下来")["evidence"]["patient"]
    assert (patient["sex"], patient["child"]) == ("M", False)


def test_a_moon_face_is_no_newborn(engine):
    assert age_years(normalize("脸越来越圆，像满月一样")) is None
    assert route(engine, "脸越来越圆，像满月一样，肚子大四肢细")["evidence"]["patient"]["child"] is False
    assert age_years(normalize("宝宝刚满月，老是吐奶")) == pytest.approx(1 / 12)


def test_carrying_a_baby_is_a_pregnancy_not_a_babys_age(engine):
    result = route(engine, "怀宝宝五个月了，最近晚上腿抽筋")
    patient = result["evidence"]["patient"]
    assert patient["pregnant"] is True and patient["child"] is False
    assert codes(result)[0] == "05.02"


def test_a_breastfeeding_mother_is_the_patient_not_the_baby_she_names(engine):
    result = route(engine, "喂奶的时候左边那里像针扎一样疼，孩子一吸就疼得发抖")
    assert result["evidence"]["patient"]["child"] is False
    assert result["evidence"]["patient"]["sex"] == "F"
    assert codes(result)[0] == "04.01"


@pytest.mark.parametrize(
    "text",
    [
        "宝贝2个月，喂奶的时候发现脸很红，摸着烫，量了38.5度",  # no breast word: the baby's fever
        "宝宝2个月，发烧38度5，喂奶的时候乳头也疼",  # a stated baby's age keeps the baby the patient
        "女，28，宝宝2个月，发烧38度5",  # the writer's sex and age at the start, then her baby
    ],
)
def test_a_young_babys_fever_is_never_lost_to_the_mother(engine, text):
    result = route(engine, text)
    assert result["care_level"] == "EMERGENCY_NOW"
    assert 13 in [flag["id"] for flag in result["red_flags"]]
    assert result["evidence"]["patient"]["infant"] is True


def test_a_feed_followed_by_the_babys_own_complaint_is_still_about_the_baby(engine):
    result = route(engine, "喂奶的时候宝宝肚子胀，一直哭")
    assert result["evidence"]["patient"]["child"] is True
    assert codes(result)[0].startswith("07")


def test_a_comparison_is_no_event():
    text = "上大号的时候像有玻璃渣子划一样疼"
    start = text.index("玻璃")
    assert is_comparison(text, start, start + 5)
    assert not is_comparison("脚被玻璃划了个口子", 2, 5)
    bite = "今天跟同事出去吃饭被流浪狗咬了一口就像针扎一样疼"
    assert not is_comparison(bite, bite.index("被"), bite.index("咬") + 1)  # 跟 is "with", not "like"


def test_a_comparison_with_glass_is_no_dirty_wound(engine):
    result = route(engine, "上大号的时候像有玻璃渣子划一样疼，完了还一阵一阵的")
    assert result["care_level"] == "ROUTINE"
    assert codes(result)[0] == "50.11"
    assert route(engine, "脚被玻璃划了一个口子")["care_level"] == "WITHIN_24H"


@pytest.mark.parametrize(
    "text",
    [
        "今天跟同事出去吃饭被流浪狗咬了一口就像针扎一样疼要打疫苗吗",
        "昨天跟孩子在小区玩被狗咬了一般要打几针",
        "跟朋友干活的时候手被生锈的钉子扎了一下像针扎一样疼",
        "喝鱼汤的时候喉咙好像有根鱼刺卡着一样，咽口水就疼",  # 好像 here says unsure, not like
        "吃鱼好像被鱼刺卡住了一样，一咽就疼",
    ],
)
def test_same_day_situations_told_with_a_comparison_nearby_still_count(engine, text):
    assert route(engine, text)["care_level"] == "WITHIN_24H"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("胸上好像有个小球球，摸着能滑来滑去", "04.01"),
        ("最近胳肢窝靠近胸那里老像有东西顶着", "04.01"),
        ("一蹲后面就坠得慌，像有东西要掉出来", "50.11"),
        ("拉屎费劲，后面一坐就疼，纸上还带点红", "50.11"),
        ("蹲坑的时候那里疼得要命", "50.11"),
        ("弯腰系鞋带都弯不下去", "04.03"),
        ("老师说我站着肩膀一高一低，背上一边鼓一边平", "04.03"),
        ("嘴巴张不大，张到两根手指就疼，耳朵前面咔咔响", "12.02"),
        ("大姨妈每次来肚子像被拧着一样疼", "05.01"),
        ("同房之后下面有点出血，不多", "05.01"),
        ("嗓子里像有口痰卡着，咳不出来也咽不下去", "11.03"),
        ("老是饿得心慌手抖出冷汗，吃块糖就好", "03.07"),
        ("出门老怀疑门没锁，手一天要洗几十遍", "15.02"),
        ("女，29，怕冷得不行，夏天还穿长袖，人也胖了，头发掉", "03.07"),
    ],
)
def test_complaints_told_by_what_the_patient_feels_or_cannot_do(engine, text, code):
    assert codes(route(engine, text))[0] == code


@pytest.mark.parametrize(
    ("text", "not_code"),
    [
        ("胸部CT说有个磨玻璃结节8毫米", "04.01"),  # a lung finding, not a breast lump
        ("背上和胸口长了好多小脓包", "04.01"),  # skin
        ("张开手就疼", "12.02"),  # the hand, not the jaw
        ("大便的时候肚子疼", "50.11"),  # the belly, not the anus
    ],
)
def test_look_alikes_of_those_phrasings_go_elsewhere(engine, text, not_code):
    assert codes(route(engine, text))[0] != not_code


def test_a_nappy_rash_goes_to_paediatrics_or_dermatology_not_surgery(engine):
    top = codes(route(engine, "bb晚上睡觉老是哭闹，屁屁那里发红，一碰就哭"))[0]
    assert top.startswith(("07", "13"))


def test_globus_with_difficulty_swallowing_is_no_self_care(engine):
    assert route(engine, "喉咙里总觉得有东西，咽不下吐不出")["care_level"] == "ROUTINE"


@pytest.mark.parametrize("text", ["我怕是晕过去了一会儿，醒来躺在地上", "恐怕是晕过去了"])
def test_pa_shi_says_what_probably_happened_not_a_worry(engine, text):
    assert route(engine, text)["care_level"] == "WITHIN_24H"


@pytest.mark.parametrize("text", ["最近老是头晕，怕哪天突然晕倒", "最近老头晕，恐怕哪天会晕倒", "挤地铁就心慌，觉得要晕过去"])
def test_a_fear_or_feeling_of_fainting_is_no_faint(engine, text):
    assert route(engine, text)["care_level"] == "ROUTINE"


def test_lexicon_words_with_chinese_numbers_match_the_digits_of_the_message(engine):
    # the message's 二胎 is 2胎 after normalisation; the lexicon's 要二胎 must read the same
    assert codes(route(engine, "想要二胎了"))[0] == "05.05"


def test_a_pre_pregnancy_check_goes_to_obstetrics_and_its_finding_leads_when_one_is_told(engine):
    result = route(engine, "想要二胎了，我今年35，想先做个孕前检查，是我一个人查还是和老公一起查")
    assert codes(result)[0] == "05.02"
    assert result["evidence"]["patient"]["pregnant"] is False
    assert codes(route(engine, "孕前检查发现TSH 4.8，需要吃药吗", age=30, sex="F"))[0].startswith("03")


def test_a_husband_named_as_company_does_not_make_the_patient_a_man(engine):
    assert route(engine, "想做个孕前检查，和老公一起查")["evidence"]["patient"]["sex"] != "M"
    assert route(engine, "我老公发烧三天了")["evidence"]["patient"]["sex"] == "M"


@pytest.mark.parametrize(
    ("text", "sex"),
    [("陪我妈来的，我爸去挂号了，她绝经好几年了最近下面又出血了", "F"), ("带着女儿来看，发烧三天了", "F")],
)
def test_the_person_accompanied_is_the_patient(engine, text, sex):
    assert route(engine, text)["evidence"]["patient"]["sex"] == sex


def test_a_child_named_as_family_background_is_not_the_patient(engine):
    text = "孩子上初中，老公在外地打工，平时顾不上自己，这两年小肚子老坠得慌，体检说子宫上有个肌瘤四公分"
    assert route(engine, text)["evidence"]["patient"]["child"] is False
    assert codes(route(engine, text, age=42, sex="F"))[0] == "05.01"
    assert route(engine, "孩子上初中了，最近老说头疼")["evidence"]["patient"]["child"] is True
    assert route(engine, "孩子上小学，自己说肚子右下边疼得厉害，走路弯着腰")["evidence"]["patient"]["child"] is True
    result = route(engine, "儿子上初中了，发烧39度，自己吃了退烧药还是头疼得厉害，脖子硬")
    assert result["evidence"]["patient"]["child"] is True
    assert 14 in [flag["id"] for flag in result["red_flags"]]


def test_an_organ_checked_and_found_well_is_negated(engine):
    evidence = route(engine, "一到人多的地方就心慌，查过心脏没毛病")["evidence"]
    assert "心脏" not in evidence["body_parts_and_situations"]
    assert "心脏" in route(engine, "一到人多的地方就心慌，心脏不舒服")["evidence"]["body_parts_and_situations"]


@pytest.mark.parametrize(
    ("text", "level"),
    [("做了胃镜吐血正常吗", "EMERGENCY_NOW"), ("前天做了人流流血很多正常吗", "WITHIN_24H"), ("拍了片子骨折了没事吧", "WITHIN_24H")],
)
def test_a_question_after_a_check_is_no_all_clear(engine, text, level):
    assert route(engine, text)["care_level"] == level


def test_knowledge_base_patterns_read_numbers_as_the_message_does(engine):
    # the red-flag rule says 一口一口; the normalised message says 1口1口
    assert route(engine, "咳了一口一口的血")["care_level"] == "EMERGENCY_NOW"
    assert codes(route(engine, "手一天要洗几十遍"))[0] == "15.02"
    assert codes(route(engine, "看东西跟隔着一层毛玻璃似的"))[0] == "10"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("一喝酒吃辣第二天后面就肿出来一个肉球，过几天又缩回去", "50.11"),
        ("不好意思说，就是后头出口那个地方，久坐就痒", "50.11"),
        ("干了二十年瓦工，后脊梁中间那块一到阴天下雨就酸疼", "04.03"),
        ("去年踢球崴过一次脚，之后就老崴", "22|04.03"),
        ("想做个全面的妇科检查，都需要查哪些", "05.01"),
        ("想去点痣，脸上鼻子旁边那颗痣有点大", "13.01"),
        ("老爷子八十了，跟他说话老打岔，电视开得震天响", "11.01"),
        ("俺娘七十二了，说看东西跟隔着一层毛玻璃似的，越来越模糊", "10"),
        ("糖尿病十来年了，医生说要每年查一次眼底，挂哪个号", "10"),
        ("心口窝那块一饿就疼，吃点东西就好了，嘴里老泛酸水", "03.02"),
        ("我这个心口窝老是扑通扑通的乱跳，跳得我心慌", "03.04"),
        ("去年做了心脏支架，那两种抗血小板的药还要接着吃吗", "03.04"),
        ("波棱盖疼了好几年了，上下楼梯更疼", "04.03"),
        ("俺娘七十了，老说心里慌慌的，人瘦了一圈，手一伸出来就哆嗦，饭量倒比以前大", "03.07"),
        ("俺爹八十了，坐着不动右手就一直抖，拿东西反倒不抖", "03.03"),
    ],
)
def test_regional_words_euphemisms_and_visit_reasons(engine, text, code):
    assert codes(route(engine, text))[0] in code.split("|")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("肚屙咗三日，一日屙五六次水，冇發燒", "拉肚子了3日，1日拉5-6次水，没有发烧"),
        ("踢波扭親膝頭哥，落樓梯好痛", "踢球扭伤膝盖，下楼梯好痛"),
        ("屎忽有粒肉仔，屙屎嗰陣會走出嚟", "屁股有个小肉，拉屎的时候会出来"),
    ],
)
def test_cantonese_is_read_in_mandarin_words(raw, expected):
    assert normalize(raw) == expected


def test_mandarin_words_cantonese_uses_differently_keep_their_sense():
    assert normalize("工作很辛苦，头痛") == "工作很辛苦，头痛"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("有咗BB兩個月，今朝見紅少少，唔痛", "05.02"),
        ("肚屙咗三日，一日屙五六次水，冇發燒", "03.02"),
        ("條頸好硬，膊頭痛到落手臂，對住電腦一日就更加辛苦", "04.03"),
        ("TCT结果LSIL", "05.01"),
        ("电测听左耳平均听阈55dB", "11.01"),
        ("PHQ-9 18分，GAD-7 15分", "15.02"),
        ("一上讲台就心慌手抖，脑子一片空白", "15.02"),
        ("前年得过面瘫治好了，最近同一边眼皮老跳，嘴角也跟着一抽一抽的", "03.03"),
    ],
)
def test_cantonese_test_results_and_twitches(engine, text, code):
    assert codes(route(engine, text))[0] == code


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("老公说我最近月经不规律", "F"),  # the husband tells of the writer: she is the patient, and a woman
        ("老婆说我打呼噜很响", "M"),
        ("老公陪我来的，月经推迟十天了", "F"),
        ("备孕一年没动静，老婆查了都正常，我想去查精液", "M"),  # checked and found well: not the patient
        ("我老公说他最近尿频", "M"),  # the husband tells of himself
    ],
)
def test_a_spouse_who_tells_of_the_writer_is_not_the_patient(engine, text, sex):
    assert route(engine, text)["evidence"]["patient"]["sex"] == sex


def test_a_relative_who_tells_of_the_writer_votes_for_no_department(engine):
    result = route(engine, "我妈说我脖子变粗了")
    assert not result["evidence"]["patient"]["elderly"]
    assert "03.10" not in codes(result)
    assert codes(route(engine, "孩子带我上医院检查是肝硬化"))[0] not in ("07", "07.02", "07.03")


def test_the_fever_being_over_does_not_make_the_baby_over(engine):
    result = route(engine, "宝宝前天发热，吃了药退了，昨天确诊手足口")
    assert result["evidence"]["patient"]["child"] and codes(result)[0].startswith("07")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是不是缺钙啊 最近膝盖一蹲就响", "是不是缺钙啊，最近膝盖一蹲就响"),  # spaces typed for commas
        ("左边 乳房 有个 硬块", "左边 乳房 有个 硬块"),  # spaced words stay
        ("烧到 39度 咳嗽", "烧到 39度 咳嗽"),
    ],
)
def test_a_space_between_clauses_ends_the_clause(raw, expected):
    assert spaces_as_commas(normalize(raw)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("是不是缺钙啊 最近膝盖一蹲一起就咔咔响还疼 上下楼更疼", "04.03"),  # the worry ends with its clause
        ("以为是颈椎不好，右边脸一阵一阵像电击一样疼，刷牙洗脸都能诱发", "03.03"),  # a wrong guess is no finding
        ("以为是心脏有毛病，胸口后面烧得慌，心电图做了没事，吃完辣的更重", "03.02"),  # the test told after, found well
        ("以为是心脏病，突然心慌胸闷觉得自己要死了，跑了三次急诊都说没事", "15.02"),
        ("最近老失眠这个先放一放，想问下一张大嘴耳朵前面就咔哒响，嚼东西那里酸", "12.02"),  # the first complaint set aside
        ("腰有点酸先不管，这两个月大便一天三四次不成形，吃点凉的就拉", "03.02"),
        ("最近脸上爆痘也挺烦的，不过想问的是月经两个月没来了，验孕一条杠", "05.01"),  # a negative test: not pregnant
        ("老公说我左边胸看着比右边大了一圈，自己一摸有个硬的地方，不痛", "04.01"),
        ("出差回来一个礼拜没怎么拉，好不容易拉出来像刀割一样，现在每次上厕所都疼", "50.11"),
        ("奶茶喝太多了吗 最近嘴巴特别干 一天能喝三四升水 半夜还要起来尿好几次", "03.07"),  # thirst with the urine
        ("胳膊腿越来越细，肚子却越来越大，脸也圆了，肚皮上有紫红色的纹", "03.07"),
        ("穿鞋挤脚，大脚趾根那块往外鼓的越来越厉害，走多了磨得通红", "04.03"),
        ("爬两层楼就心慌气短，歇一会就好，这阵子脚脖子也有点肿", "03.04"),  # ankle swelling, not an ankle injury
        ("出门要回去检查门锁好几遍，洗手洗到脱皮，知道没必要就是控制不住", "15.02"),
        ("晚上开车看路灯周围一圈光晕，看东西像隔了层毛玻璃", "10"),
    ],
)
def test_sixteenth_set_phrasings(engine, text, code):
    assert codes(route(engine, text))[0] == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("左边胸口疼，一摸有个包", "03.04"),  # 胸口 is the chest, not the breast
        ("以为感冒发烧所以昏倒，后来去医院说是贫血", None),  # what follows the guess happened: the faint counts
    ],
)
def test_chest_is_not_breast_and_a_guess_reaches_only_its_own_words(engine, text, code):
    result = route(engine, text)
    if code:
        assert codes(result)[0] == code
    else:
        assert result["care_level"] == "WITHIN_24H"


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("这2个月大便1天三四次", None),
        ("已经3天大便没拉", None),
        ("1天大概3-5次", None),
        ("宝宝7个月大", 7 / 12),
        ("孩子8个月大了，拉肚子", 8 / 12),
        ("2个月大小的宝宝发烧38度", 2 / 12),
        ("20天大便稀，发烧38度", 20 / 365),  # said of a newborn: the safe reading
    ],
)
def test_da_of_dabian_is_no_age(text, age):
    assert age_years(text) == (pytest.approx(age) if age else None)


def test_a_recurring_complaint_is_not_for_self_care(engine):
    assert route(engine, "每次游完泳身上就起一片一片的风团，过几个钟又自己消了")["care_level"] == "ROUTINE"
    assert route(engine, "嘴角周围起了一圈小红疹，反反复复", age=25, sex="F")["care_level"] == "ROUTINE"


def test_a_question_whether_it_will_heal_is_not_healed(engine):
    result = route(engine, "我有点担心以后的小孩子也会跟我一样。这病能不能治好了？乙肝大三阳")
    assert not result["evidence"]["patient"]["child"]


def test_a_faint_put_aside_still_needs_a_doctor_today(engine):
    result = route(engine, "昨天晕倒了一次这个先不管，想问降压药怎么吃")
    assert result["care_level"] == "WITHIN_24H" and "fainting_needs_assessment" in result["evidence"]["rules_fired"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("怀二胎，头胎是剖的，现在三十周，跟上次一样老觉得肚子一阵阵发紧", "05.02"),
        ("肛门左边一点那块肿起来了，红红的一碰就疼，还有点低烧", "50.11"),  # a fever alone does not outvote the organ
        ("心口窝下面这里，饿的时候疼，吃点东西就好了，晚上半夜会疼醒", "03.02"),  # hunger pain eased by food
        ("不好意思打扰一下，手脚发麻，从指尖开始像戴了手套袜子一样，血糖查过不高", "03.03"),  # checked, not high
        ("加班一个月以后，一到公司门口就心慌手心出汗想逃，周末就好了", "15.02"),  # the situation holds the symptoms
        ("一到人多的地方就心慌紧张，手心出汗", "15.02"),
    ],
)
def test_seventeenth_set_phrasings(engine, text, code):
    assert codes(route(engine, text, age=38))[0] == code


def test_my_second_child_is_a_child(engine):
    result = route(engine, "我家老二跟老大小时候一样，一吃鸡蛋就起疹子还拉肚子，要怎么查")
    assert result["evidence"]["patient"]["child"] and result["care_level"] == "ROUTINE"  # recurring: not self-care


def test_a_child_with_fever_and_a_sore_mouth_stays_paediatric(engine):
    text = "男童，2岁5个月，5月22胃口不好，晚上十点开始发烧，5月23下午又发烧，现在发现上颚有两三个白色小泡"
    assert codes(route(engine, text))[0].startswith("07")


@pytest.mark.parametrize(
    ("text", "found_well"),
    [("心电图做了不太正常", False), ("心电图做了没事", True), ("心电图做了正常吗", False), ("查了心脏都正常", True)],
)
def test_a_test_checked_and_found_well(text, found_well):
    from yiyun.triage.polarity import found_well_on_check

    word = "心电图" if "心电图" in text else "心脏"
    start = text.index(word)
    assert found_well_on_check(text, start, start + len(word)) is found_well


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("孩子总说我不陪他，最近他老是肚子疼", "child", True),  # the child is then told of as the patient
        ("老公觉得我大惊小怪，他胸口疼一个小时了", "sex", "M"),
        ("儿媳妇陪我来的，我绝经好多年了最近又见红", "sex", None),  # 儿媳妇 is no wife: the writer is no man
        ("宝宝查过没事，现在2个月发烧38度5", "child", True),  # found well earlier, the patient still
        ("孕检做了都正常，今天肚子一阵阵疼见红", "pregnant", True),  # a pregnancy checked well is still one
        ("宝宝咳嗽先不管，想问他拉肚子吃什么", "child", True),  # who the patient is is never put aside
    ],
)
def test_who_the_patient_is_survives_relatives_checks_and_asides(engine, text, key, value):
    assert route(engine, text)["evidence"]["patient"].get(key) == value


@pytest.mark.parametrize(
    ("text", "code", "level"),
    [
        ("发烧39度5三天了，不过想问的是能吃布洛芬吗", "03.01", "WITHIN_24H"),  # nothing asked after: the fever routes
        ("头疼吐了好几次，先不管，想问感冒吃什么药", "03.01", "WITHIN_24H"),  # put aside: still counts for care
        ("以为是扭伤，脚肿得厉害不能走", None, "WITHIN_24H"),  # a guess routes nothing, but may be a fracture
    ],
)
def test_what_is_put_aside_or_guessed_still_counts_for_care(engine, text, code, level):
    result = route(engine, text)
    assert result["care_level"] == level
    if code:
        assert codes(result)[0] == code


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("老人摔了一跤，髋部疼，站不起来", "possible_fracture"),
        ("3天没排便排气，肚子胀吐", "possible_bowel_obstruction"),
        ("以为是吃坏肚子拉肚子，结果拉了一天血水", "new_rectal_bleeding"),
        ("孩子发烧了，不吃不喝，精神很差，一直睡", "unwell_child"),
    ],
)
def test_same_day_rules_a_safety_review_found_missing(engine, text, rule):
    result = route(engine, text)
    assert result["care_level"] == "WITHIN_24H" and rule in result["evidence"]["rules_fired"]


@pytest.mark.parametrize(
    "text", ["胃胀气，不打嗝不排气", "尿痛，小便带血", "宝宝三岁半，老是睡觉的时候咳嗽", "有过一次便秘带血"],
)
def test_same_day_rule_look_alikes(engine, text):
    rules = route(engine, text)["evidence"]["rules_fired"]
    assert not {"possible_bowel_obstruction", "new_rectal_bleeding", "unwell_child"} & set(rules)
