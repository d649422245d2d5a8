"""Care level beyond red flags (shared/docs/triage-reference.md): WITHIN_24H rules, then ROUTINE or SELF_CARE."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from yiyun.triage.i18n import gettext_noop
from yiyun.triage.polarity import PRESENT, RESOLVED, clause_bounds, is_comparison, polarity
from yiyun.triage.timeline import PUERPERIUM_DAYS

EMERGENCY_NOW, WITHIN_24H, ROUTINE, SELF_CARE = "EMERGENCY_NOW", "WITHIN_24H", "ROUTINE", "SELF_CARE"
EMERGENCY_MESSAGE = gettext_noop("立即拨打120或前往最近医院急诊")  # marked for the pages, which translate it

_PERSISTENT_VOMIT = re.compile(r"一直吐|吐个不停|吃什么吐什么|喝水都吐|反复呕吐|频繁呕吐|吐了(\d+|好几|很多)次|呕吐不止")
_ASTHMA_ATTACK = re.compile(r"哮喘(发作|犯了|又犯)|犯哮喘|喘得厉害|喘不过气")
_FRACTURE = re.compile(r"骨折|骨头断|不能走路|走不了路|不能动|动不了|变形|肿得(很|特别)?厉害")
# A fall after which the patient cannot stand or walk (老人摔了一跤，髋部疼，站不起来): a hip fracture until an X-ray says not.
_FALL = re.compile(r"(?<!手机)(?<!杯子)(?<!碗)(摔了|摔倒|摔跤|摔一跤|摔下来|摔到|摔着|跌倒|跌了|跌坐|滑倒|绊倒)")
_CANNOT_STAND = re.compile(r"站不起来|起不来了?(?!床)|不能走路?(?!远)|走不了(路)?(?![远多太])|不能着地|不敢着地")
# NICE NG143 amber signs in a feverish child: decreased activity, not feeding, fewer wet nappies.
_CHILD_UNWELL = re.compile(
    r"精神(状态|头)?(也|还|很|有点|有些|特别|非常|太|比较|越来越|不太|不怎么)*(差|不好|不佳|萎靡)|萎靡|没精神|蔫|嗜睡|一直(昏)?睡(?![觉不着])|睡不醒|叫不太醒|叫也不(太)?理|不太理人|不吃不喝|不肯喝|"
    r"尿(很|特别|非常)?少(?!了?吗)|(没有?|不)(拉)?尿(?![床布吗频急痛])"
)
_SCHOOL_AGE = re.compile(r"上学|小学|初中|高中|中学|大学|年级")
_SLEEPS_ALL_THE_TIME = re.compile(r"(总是|老是|一直)睡(?![觉不着])")  # with a fever; a young baby sleeps most of the day
# "拉肚子三天了，今天开始大便带血": the bleeding is new even when the diarrhoea is not.
_BLOOD_SINCE_TODAY = re.compile(r"(今天|今早|今晚|刚才|刚刚|昨天|昨晚)(开始|突然)?[^，。]{0,6}(带血|出血|有血|便血|血水|脓血)")
_LONG_STANDING = re.compile(r"好几年|几年了|半年|几个月了|\d+个月了|\d+年了")
# Neither stool nor gas passes (and vomiting, a swollen or painful belly): a bowel obstruction to rule out today.
_NO_STOOL_NOR_GAS = re.compile(
    r"不排便不排气|没有?排便排气|(没有?|不)(排便|大便|拉)[^，。]{0,4}(也)?(没有?|不)(排气|放屁)|(没有?|不)(排气|放屁)[^，。]{0,4}"
    r"(也)?(没有?|不)(拉|排便|大便)|停止排气"
)
# Soaking a pad within an hour is bleeding heavy enough to see a doctor the same day (patient guidance in gynaecology:
# a pad or more an hour for two hours, contact a doctor urgently); with dizziness or fainting it is red flag 7.
_PAD_AN_HOUR = re.compile(r"(一|1|半)个?(小时|钟头)[^，。]{0,6}(湿透|浸透|换)")
_BLEEDING_WORDS = re.compile(r"月经|例假|经血|大姨妈|出血|流血|卫生巾|姨妈巾")
_SELF_CARE_MAX_DAYS = 3
# Home care is advice for what has not been treated yet: a medicine already taken without getting better ("吃了药也不见好",
# "吃了好几天阿莫西林，嗓子还是疼"), or a rash that came after a medicine (a possible drug reaction: stop it and be seen),
# needs a doctor, not more of the same.
_MEDICINE_TAKEN = (
    r"(吃|用|擦|抹|涂|喷|输|打|贴|上|服|含)(了|过)[^。？！]{0,10}?"
    r"(药|片|胶囊|颗粒|冲剂|膏|栓|霉素|头孢|沙星|西林|洛芬|针|点滴|吊瓶|液|剂|喷雾|口服液)"
)
# A complaint that keeps coming back ("每次游完泳就起风团", "反复口腔溃疡") is no self-limiting episode: a doctor should
# look for its cause, even when each bout is mild and short.
_RECURRING = re.compile(r"每次|每回|每当|反复|反反复复|经常|老是|总是|动不动就|隔三差五|一(到|吃|喝|碰)[^，。？！]{1,6}就")
_NO_BETTER_AFTER_MEDICINE = re.compile(
    _MEDICINE_TAKEN + r"[^。？！]{0,12}?(还是|仍然|依然|照样|也不见|不见好|没见好|不管用|没用|不管事|没效果|没什么效果|"
    r"效果不好|不见效|没见效|也没好|还没好|没有好转|不好使)"
)
_RASH_AFTER_MEDICINE = re.compile(_MEDICINE_TAKEN + r"[^。？！]{0,12}?(起|出|长)了?[^。？！]{0,4}(疹|疙瘩|红点|风团|包|泡)")

ADVICE = {
    WITHIN_24H: gettext_noop("建议今天内就医（门诊或线上急诊咨询）。如出现呼吸困难、意识不清、抽搐、持续剧痛等情况，请立即拨打120。"),
    ROUTINE: gettext_noop("建议预约相关科室的普通门诊或线上复诊，带上既往检查结果。症状明显加重或出现新的严重症状时请及时就医。"),
}
SELF_CARE_ADVICE = {
    "发热": "多喝温水，注意休息，体温超过38.5℃可按说明服用对乙酰氨基酚或布洛芬，衣物不要捂得太厚。",
    "咳嗽": "多喝温水，保持室内湿润，避免烟雾和冷空气刺激，可用蜂蜜水缓解（1岁以下婴儿不用蜂蜜）。",
    "流涕": "多休息多喝水，可用生理盐水冲洗鼻腔。",
    "咽痛": "多喝温水，可用淡盐水漱口，少吃辛辣刺激食物。",
    "腹泻": "少量多次补充口服补液盐或淡盐水，饮食清淡易消化，暂停油腻、生冷和奶制品。",
    "恶心": "少量多餐、清淡饮食，避免油腻。",
    "腹胀": "规律进食，细嚼慢咽，少吃产气食物（豆类、碳酸饮料），饭后适当走动。",
    "皮疹": "避免搔抓和热水烫洗，穿宽松棉质衣物，回想并避开可能的过敏原。",
    "皮肤瘙痒": "保持皮肤清洁湿润，用温水洗澡后涂保湿霜，避免搔抓。",
    "口腔溃疡": "保持口腔清洁，避免辛辣刺激食物，多吃新鲜蔬果。",
    "扭伤": "受伤48小时内冰敷（每次15–20分钟）、制动休息、加压包扎并抬高患处，之后再热敷。",
    "便秘": "多喝水，多吃蔬菜水果和粗粮，养成定时排便习惯，适当运动。",
    "鼻塞": "可用生理盐水冲洗鼻腔，保持室内空气湿润。",
    "打喷嚏": "避开花粉、尘螨等可能的过敏原，外出可戴口罩。",
    "咽部不适": "多喝水，少说话多休息，避免烟酒和辛辣食物。",
}
COME_BACK = "如果症状超过3天没有好转、体温超过39℃、出现呼吸困难、胸痛、意识改变、持续呕吐、便血或其他新的严重症状，请及时就医。"


@dataclass(frozen=True)
class SameDayRule:
    """A reason to see a doctor today that brings its own advice and pulls the department ranking towards its
    department: red-flag signs already over (red_flags.json `if_resolved`), RECENT_EVENTS and SITUATIONS below."""

    rule: str
    department: str
    advice: str
    weight: float


RESOLVED_FLAG_WEIGHT = 12.0  # a transient stroke goes to neurology whatever else was said
EVENT_WEIGHT = 4.0  # a faint leans to cardiology, a bite to the emergency room, unless something else explains it


def resolved_flag_rule(if_resolved: dict) -> SameDayRule:
    return SameDayRule(if_resolved["rule"], if_resolved["department"], if_resolved["advice"], RESOLVED_FLAG_WEIGHT)


# Events that need a doctor the same day even when they are over by the time the patient writes: concept → (rule,
# department, the words that name the event itself, advice). Sources: NICE CG109 (transient loss of consciousness),
# NHS "when to call 999" (a first seizure). 眼前一黑 (a moment of dizziness) is left out, and 抽筋 is its own concept
# (usually a cramp) unless the words make it a fit: 发烧抽筋 (a febrile convulsion), 全身抽筋.
RECENT_EVENTS = {
    "晕厥": ("fainting_needs_assessment", "03.04", {"晕倒", "昏倒", "晕过去", "晕厥", "一过性晕厥", "突然倒地"},
           "突然晕倒即使已经清醒，也需要尽快查明原因（心律失常等心脏原因可能再次发生）：请今天内到医院急诊或心内科就诊；"
           "如再次晕倒，或伴胸痛、心慌、气短、说话不清，立即拨打120。"),
    "抽搐": ("seizure_needs_assessment", "03.03", {"抽搐", "抽风", "惊厥", "四肢抽动", "手脚抽", "翻白眼", "口吐白沫",
                                                  "癫痫发作", "发烧抽筋", "高烧抽筋", "烧得抽筋", "烧到抽筋", "热性惊厥",
                                                  "高热惊厥", "全身抽筋", "浑身抽筋", "四肢抽筋"},
           "抽搐停止后仍需要尽快查明原因：如果是第一次抽搐、抽搐超过5分钟、醒后一直没恢复正常或反复抽搐，请立即拨打120；"
           "否则请今天内就医（儿童到儿科急诊）。"),
}
_KNOWN_EPILEPSY = re.compile(r"癫痫|羊癫疯|羊角风")
# A twitch of one muscle (眼皮抽搐, 面肌抽搐) or a jerk falling asleep is no fit: no seizure assessment for it.
_LOCAL_TWITCH = re.compile(
    r"(眼皮|眼睑|面部|脸部|面肌|嘴角|肌肉|手指|脚趾|小腿|腿肚)[^，。]{0,2}(抽搐|抽动)|(睡着|睡觉|入睡)[^，。]{0,6}(抽动|一抽)"
)


def recent_events(mentions, text: str) -> list[SameDayRule]:
    """The RECENT_EVENTS among symptom mentions (concept, surface, happening or just over). A known epilepsy explains
    its usual fits and falls: those go by the red flags (long, repeated) and the usual routing."""
    if _KNOWN_EPILEPSY.search(text):
        return []
    found = []
    for concept, surface, current in mentions:
        spec = RECENT_EVENTS.get(concept)
        if concept == "抽搐" and _LOCAL_TWITCH.search(text):
            continue
        if spec and current and surface in spec[2]:
            rule = SameDayRule(spec[0], spec[1], spec[3], EVENT_WEIGHT)
            if rule not in found:
                found.append(rule)
    return found


@dataclass(frozen=True)
class Situation:
    """Something that happened (a bite, a burn) rather than a symptom, that needs a doctor the same day."""

    rule: str
    pattern: re.Pattern
    department: str
    advice: str
    fresh_only: bool = True  # a burn or a bump days old is past the same-day window; a bite's vaccine is still due
    under_age: float | None = None  # only for patients younger than this
    needs: re.Pattern | None = None  # only when this also appears in the message
    # Nails and glass are what pain is compared to ("像有玻璃渣子划一样疼"): such a comparison is no wound. Not for a
    # fish bone, where 好像 says the patient is unsure, not comparing ("喉咙好像有根鱼刺卡着").
    used_in_comparisons: bool = False
    unless: re.Pattern | None = None  # not when this appears in the message
    # not when this says the match has another explanation (its arguments: the message and the match)
    unless_near: Callable[[str, re.Match], bool] | None = None


_MANY_OR_GENERAL = re.compile(r"好几|多处|很多|十几|几十|全身|浑身|头晕|心慌|恶心|吐|尿(少|红|黑|像酱油)")
# Chest pain brought on by exertion, or relieved by rest, that is new (weeks) is unstable angina until assessed (ESC 2020
# NSTE-ACS guideline: de novo angina of CCS class II–III). Not this rule's: years of the same pattern, a strained or
# bruised chest wall, chafing skin, a nursing breast, each said near the chest words ("搬东西扭了一下，胸口一按就疼"), not
# as a risk factor elsewhere in the message ("糖尿病十年了，最近一爬楼胸口就闷"); nor an asthmatic's tight chest, nor a
# student's after a school fitness test (体测).
_LONG_KNOWN = re.compile(r"好几年|多年|老毛病|几年了|\d+年了|[一二三四五六七八九十几]+年了")
_ANOTHER_CONDITION = re.compile(r"(?<!毛)病|糖尿|高血压|血压|血脂|血糖|胆固醇|痛风|支架|抽烟|吸烟|烟龄|喝酒|退休|工作|腿|腰|关节|胃")
_LOCAL_CAUSE = re.compile(
    r"练胸|胸肌|俯卧撑|卧推|扩胸|飞鸟|拉伸|肌肉|扭|拉伤|岔气|撞|磕|摔|一按就|按(着|压)?[^，。]{0,6}(也|就|更)?(疼|痛)|压痛|"
    r"皮肤|磨|衣服|内衣|文胸|胸罩|哺乳|喂奶|乳房|乳头|硬块|胀(疼|痛)"
)
_ASTHMA_OR_FITNESS_TEST = re.compile(r"哮喘|沙丁胺醇|万托林|喷雾剂|气雾剂|吸入剂|体测|体育课|体育考试|跑完\d*米|\d+米跑|跑步测试")


def _clauses_after(text: str, match: re.Match, following: int) -> list[str]:
    """The clauses a match spans, then up to `following` clauses after it."""
    left, right = clause_bounds(text, match.start(), match.start())[0], clause_bounds(text, match.end(), match.end())[1]
    clauses = [text[left:right]]
    for _ in range(following):
        if right >= len(text):
            break
        start = right + 1
        right = clause_bounds(text, start, start)[1]
        clauses.append(text[start:right])
    return clauses


def _chest_long_known_or_local(text: str, match: re.Match) -> bool:
    """A local cause in the chest words' clauses or the next ("搬东西扭了一下，胸口一按就疼"), or years of the same pattern
    said within the two clauses after it ("一爬楼就胸闷，歇一会就好，好几年了") and not of another condition ("糖尿病十年了")."""
    clauses = _clauses_after(text, match, 2)
    if any(_LOCAL_CAUSE.search(c) for c in clauses[:2]):
        return True
    return any(_LONG_KNOWN.search(c) and not _ANOTHER_CONDITION.search(c) for c in clauses)


# Sources: 狂犬病暴露预防处置工作规范（2023年版）; 非新生儿破伤风诊疗规范（2019年版）; 中国烧伤急救与转运专家共识;
# 中国蜂蜇伤诊治专家共识（2018）; NICE CG176 (head injury in infants); 咽喉/食管异物 guidance (no rice or vinegar).
SITUATIONS = (
    Situation(
        "animal_bite_or_scratch",
        re.compile(r"(被|让)[^，。]{0,4}(狗|猫|犬|老鼠|蝙蝠|猴|狼|狐狸|宠物|流浪)[^，。]{0,4}(咬|抓|挠)|(狗|猫|犬)(咬|抓)伤"),
        "20",
        "被猫狗等动物咬伤或抓伤后，请立即用肥皂水和流动清水交替冲洗伤口约15分钟，再用碘伏消毒，并尽快（越早越好，"
        "最好24小时内）到医院犬伤门诊（狂犬病暴露处置门诊）或急诊，按医生意见接种狂犬病疫苗，必要时注射免疫球蛋白。",
        fresh_only=False,
    ),
    Situation(
        "puncture_wound_tetanus",
        re.compile(r"(钉子|铁钉|铁丝|生锈|锈铁|铁片|玻璃|竹签)[^，。]{0,6}(扎|刺|划|割|戳)|(扎|刺)(进|到|了)[^，。]{0,3}(钉子|铁钉|铁丝)"),
        "20",
        "被钉子、铁丝等扎伤的伤口深而脏，有破伤风风险：请挤出少量血后用清水冲洗，今天内到医院急诊或外科处理伤口，"
        "并由医生评估是否需要破伤风疫苗或免疫球蛋白。",
        fresh_only=False,
        used_in_comparisons=True,
    ),
    Situation(
        "burn_with_blisters",
        re.compile(r"(烫伤|烧伤|烫到|烫了|烧到|烫着)[^。]{0,12}(大水泡|水泡|水疱|起泡|掉皮|破皮|脱皮|皮[^，。]{0,2}(掉|脱|烂)|发白|焦|一大片)"),
        "04.07",
        "烫伤后先用流动的凉水冲洗15–30分钟，不要涂牙膏、酱油，不要挑破水泡；起了水泡的烫伤请今天内到医院烧伤科或急诊处理。"
        "面积大（超过一个手掌）、在脸/手/会阴部位或是老人小孩，请尽快就医。",
    ),
    Situation(
        "foreign_body_in_throat",
        re.compile(r"(鱼刺|骨头|鸡骨|鸭骨|枣核|异物|鱼骨)[^，。]{0,6}(卡|扎|刺|鲠)"),
        "11.03",
        "不要吞饭团、喝醋或用手抠，以免刺扎得更深；请今天内到医院耳鼻喉科（咽喉）或急诊取出。如出现呼吸困难、吐血或胸痛，"
        "立即拨打120。",
    ),
    Situation(
        "head_injury_in_a_young_child",
        re.compile(r"(摔|掉|跌|磕|撞|碰)[^。]{0,10}(头|脑袋|后脑|额头|脑门)"),
        "08",
        "两岁以下的孩子头部磕碰后需要今天内请医生检查：如出现呕吐、精神差或叫不醒、抽搐、头上的包很大或变软、耳鼻流血流水，"
        "立即拨打120。",
        under_age=2,
    ),
    Situation(
        "stings_with_a_general_reaction",
        re.compile(r"(马蜂|胡蜂|黄蜂|蜜蜂|野蜂|蜂)[^，。]{0,4}(蛰|蜇|叮)"),
        "20",
        "被蜂蜇了多处或出现全身反应，请今天内尽快到医院急诊：多处蜇伤可能引起中毒，要查血尿和肾功能。如出现嘴唇舌头肿、"
        "喉咙发紧、呼吸困难或头晕眼前发黑，立即拨打120。",
        needs=_MANY_OR_GENERAL,
    ),
    Situation(
        "exertional_chest_pain",
        re.compile(r"(爬(到)?\d*(层)?楼|上\d*(层)?楼|爬坡|上坡|爬山|走快|快走|走急|小跑|跑步|跑了?几步|跑两步|赶(公交|车|地铁)|"
                   r"干活|干重活|使劲干活|搬|提重物|扛|一走路|走几步|走远|走多了|散步|遛弯|一活动|活动后|运动|锻炼|一动|拖地|扫地|"
                   r"做家务|家务|骑车|打[^，。]{0,3}球|上台阶|爬台阶)[^。]{0,12}(胸|心口|胸骨|心前区)(?:(?!不|没)[^，。]){0,8}"
                   r"(闷|压|疼|痛|紧|堵|憋|石头|勒)"
                   r"|(胸|心口|胸骨|心前区)[^，。]{0,8}(闷|压|疼|痛|紧|堵|憋|石头|勒)[^。]{0,20}(歇|休息(?!日|天)|停下来?|坐下来?|站住|"
                   r"站着不动|不动|躺下)[^，。]{0,8}(就好|就缓解|就没事|就过去|就缓过来|好了|缓过来)"),
        "03.04",
        "活动（爬楼、快走、干活）时胸口发闷、发紧或像有东西压着，歇几分钟才缓解，可能是心绞痛（心脏供血不足），新出现或"
        "越来越频繁时尤其要重视：请今天内到医院心血管内科或胸痛中心就诊，做心电图等检查，就诊前避免剧烈活动。如胸痛胸闷"
        "持续超过5分钟、休息也不缓解，或伴出冷汗、气短、恶心，立即拨打120。",
        fresh_only=False,
        unless=_ASTHMA_OR_FITNESS_TEST,
        unless_near=_chest_long_known_or_local,
    ),
)
_NOT_FRESH = re.compile(r"上周|上个?星期|上个月|前几天|几天前|前些天|前2天|\d+周前|半个月前|去年|前年|\d+天前|结痂|好多了")


def urgent_situations(text: str, *, age_years=None) -> list[SameDayRule]:
    """SITUATIONS that the message describes as happening now or just now (not a past one or a question)."""
    found = []
    for situation in SITUATIONS:
        if situation.fresh_only and _NOT_FRESH.search(text):
            continue
        if situation.under_age is not None and (age_years is None or age_years >= situation.under_age):
            continue
        if situation.needs is not None and not situation.needs.search(text):
            continue
        if situation.unless is not None and situation.unless.search(text):
            continue
        if any(
            polarity(text, m.start(), m.end()) in (PRESENT, RESOLVED)
            and not (situation.used_in_comparisons and is_comparison(text, m.start(), m.end()))
            and not (situation.unless_near is not None and situation.unless_near(text, m))
            for m in situation.pattern.finditer(text)
        ):
            found.append(SameDayRule(situation.rule, situation.department, situation.advice, EVENT_WEIGHT))
    return found


# A mother's fever in the puerperium, and warning signs after an abortion, need a doctor the same day. Sources: NICE
# CG37 / NG194 postnatal care (a temperature of 38 °C or more after birth is assessed for infection and sepsis); RCOG
# Green-top Guideline 64b (bacterial sepsis following pregnancy); WHO Abortion care guideline 2022 (after an abortion:
# fever, pain that persists or worsens, heavy or prolonged bleeding, foul-smelling discharge: retained tissue or
# infection). Cramps with some bleeding are expected in the first days after an abortion: with pain, bleeding counts
# from the end of the first week.
PUERPERAL_FEVER = SameDayRule(
    "puerperal_fever", "05.02",
    "产后（产褥期内）发热可能是产褥感染、乳腺炎或泌尿道感染等，需要今天内到医院产科就诊查明原因，不要只在家捂汗或自行用药；"
    "如出现寒战、心慌气短、意识模糊、阴道出血很多或剧烈腹痛，立即拨打120。",
    EVENT_WEIGHT,
)
AFTER_ABORTION = SameDayRule(
    "after_abortion_warning_signs", "05.03",
    "人流或药流后出现腹痛伴出血、发热、分泌物有臭味或出血增多，可能是宫腔残留或感染：请今天内到医院妇科或计划生育科就诊"
    "（通常需要做B超）。如出血很多（1小时湿透1片卫生巾以上）、头晕心慌或剧烈腹痛，立即拨打120。",
    EVENT_WEIGHT,
)
_PUERPERIUM_WORDS = re.compile(r"坐月子|月子里|月子期间|月子中|刚生完|产后(?![\d几半一二两三四五六七八九十]+个?[月年])")
_ABORTION_BLEEDING = re.compile(r"出血|流血|见红|淋漓|还有血")
_ABORTION_HEAVY_OR_FOUL = re.compile(r"(出血|流血|血)[^，。]{0,4}(多|量大|不止|不停|止不住|越来越多)|异味|臭")
_EXPECTED_CRAMPS_DAYS = 7


def maternal_warning_signs(findings: dict[str, str], text: str, *, temperature, days_since_birth, child: bool,
                           recent_abortion: bool, days_since_abortion) -> list[SameDayRule]:
    """PUERPERAL_FEVER for a mother's fever of 38 °C or more (or unmeasured, not a low one) within 42 days of a birth;
    AFTER_ABORTION for fever, foul discharge or heavy bleeding after a recent abortion, or pain with bleeding after its
    first week (see yiyun.triage.timeline for the dating)."""
    fever = (temperature or 0) >= 38.0 or (
        temperature is None and findings.get("发热") == "yes" and findings.get("低热") != "yes")
    found = []
    puerperal = (days_since_birth <= PUERPERIUM_DAYS if days_since_birth is not None
                 else bool(_PUERPERIUM_WORDS.search(text)))
    if fever and puerperal and not child:
        found.append(PUERPERAL_FEVER)
    if recent_abortion:
        pain = findings.get("腹痛") == "yes" or findings.get("下腹痛") == "yes"
        bleeding = any(polarity(text, m.start(), m.end()) == PRESENT for m in _ABORTION_BLEEDING.finditer(text))
        past_cramps = days_since_abortion is None or days_since_abortion >= _EXPECTED_CRAMPS_DAYS
        worrying = any(polarity(text, m.start(), m.end()) == PRESENT for m in _ABORTION_HEAVY_OR_FOUL.finditer(text))
        if fever or worrying or (pain and bleeding and past_cramps):
            found.append(AFTER_ABORTION)
    return found


# A period that is late, with bleeding and lower abdominal pain, may be an ectopic pregnancy whether or not the woman
# knows she is pregnant (NHS "Ectopic pregnancy": see a GP or call 111 the same day with two of a missed period, vaginal
# bleeding and pain low down in the tummy; call 999 for sudden intense pain, dizziness or fainting, which red flag 17
# covers). Said of a period that came late and is here now ("推迟了一周，今天来了") it is no warning sign.
POSSIBLE_ECTOPIC = SameDayRule(
    "possible_ectopic_pregnancy", "05.01",
    "月经推迟后出现阴道出血和腹痛，需要排除宫外孕（异位妊娠）：请今天内到医院妇科或急诊就诊，查尿或血HCG和B超，"
    "不要只当作月经来了。如腹痛突然加剧、头晕眼前发黑、肛门坠胀、肩膀疼或晕倒，立即拨打120。",
    EVENT_WEIGHT,
)
LATE_PERIOD = re.compile(
    r"(月经|例假|大姨妈|姨妈|经期)[^，。没不未]{0,4}(推迟|晚了|迟了|晚来|延后|没来|还没来|不来|还不来|该来没来|过了|超了|超过)"
    r"|停经[^，。]{0,3}[\d一二两三四五六七八九十几半]+(天|周|个?星期|个?礼拜)"
)
_PERIOD_CAME = re.compile(r"(今天|昨天|终于|后来|已经|才)(又)?来了|来月经了|月经来了|例假来了|大姨妈来了")
_BLEEDING = re.compile(r"出血|流血|见红|褐色分泌物|咖啡色分泌物")  # beside a late period: from the vagina


def possible_ectopic(findings: dict[str, str], text: str, *, child: bool) -> list[SameDayRule]:
    """POSSIBLE_ECTOPIC for a late period told as late now, with bleeding and abdominal pain both present."""
    if child or "yes" not in (findings.get("腹痛"), findings.get("下腹痛")) or _PERIOD_CAME.search(text):
        return []
    if not all(any(polarity(text, m.start(), m.end()) == PRESENT for m in pattern.finditer(text))
               for pattern in (LATE_PERIOD, _BLEEDING)):
        return []
    return [POSSIBLE_ECTOPIC]


@dataclass
class CareDecision:
    level: str
    advice: str
    rules: list[str]


def within_24h_rules(symptoms: dict[str, str], text: str, *, temperature, duration, child: bool, infant_months=None,
                     old_injuries=frozenset(), duration_vague: bool = False) -> list[str]:
    """The WITHIN_24H rules that apply (see the care-level table of the triage reference). `old_injuries` are injuries
    dated weeks back ("手腕骨折打钢板半年了"): no fresh fracture to see today. `duration_vague`: the duration is only a
    word such as 最近, which does not say that an abdominal pain has lasted more than a day and less than two weeks
    (the reference's abdominal pain beyond 24-36 h is an acute pain; "最近饭后胃胀痛" is usually a recurring one)."""
    rules = []
    fever = symptoms.get("发热") == "yes" or symptoms.get("高热") == "yes" or (temperature or 0) >= 37.3
    if (temperature or 0) >= 39.0 or symptoms.get("高热") == "yes":
        rules.append("fever_39_or_more")
    if child and fever and (duration or 0) >= 5:
        rules.append("child_fever_5_days")
    if child and fever and infant_months is not None and infant_months < 6 and (temperature or 0) >= 38:
        rules.append("infant_under_6_months_fever")
    if symptoms.get("呕吐") == "yes" and _PERSISTENT_VOMIT.search(text):
        rules.append("persistent_vomiting")
    if symptoms.get("腹痛") == "yes" and (duration or 0) >= 1.0 and (duration or 0) <= 14 and not duration_vague:
        rules.append("abdominal_pain_over_24h")
    if _ASTHMA_ATTACK.search(text) and symptoms.get("喘息") == "yes":
        rules.append("asthma_attack")
    injured = any(symptoms.get(c) == "yes" and c not in old_injuries for c in ("骨折", "扭伤", "外伤"))
    if (injured and _FRACTURE.search(text)) or _fall_and_cannot_stand(text):
        rules.append("possible_fracture")
    young = (infant_months < 60) if infant_months is not None else not _SCHOOL_AGE.search(text)
    sick = fever or (young and (symptoms.get("腹泻") == "yes" or (symptoms.get("呕吐") == "yes" and "吐奶" not in text)))
    if child and (sick or (infant_months is not None and infant_months < 3)) and (
        _said_now(_CHILD_UNWELL, text) or (fever and _said_now(_SLEEPS_ALL_THE_TIME, text))
    ):
        rules.append("unwell_child")
    if _said_now(_NO_STOOL_NOR_GAS, text) and any(symptoms.get(c) == "yes" for c in ("呕吐", "腹痛", "腹胀")):
        rules.append("possible_bowel_obstruction")
    if symptoms.get("阴囊睾丸痛") == "yes" or symptoms.get("腰腹绞痛") == "yes":
        rules.append("acute_pain_needs_exam")
    if symptoms.get("便血") == "yes" and ((duration or 0) <= 2 or (
            symptoms.get("腹泻") == "yes" and _said_now(_BLOOD_SINCE_TODAY, text) and not _LONG_STANDING.search(text))):
        rules.append("new_rectal_bleeding")
    if _PAD_AN_HOUR.search(text) and _BLEEDING_WORDS.search(text):
        rules.append("heavy_bleeding_a_pad_an_hour")
    if symptoms.get("端坐呼吸") == "yes":  # breathless lying flat: possible heart failure, needs a doctor today
        rules.append("orthopnoea")
    return rules


def _said_now(pattern: re.Pattern, text: str) -> bool:
    """The pattern is told as happening now: not negated, over, past or hypothetical ("精神不差", "没有不吃不喝")."""
    return any(polarity(text, m.start(), m.end()) == PRESENT and not re.search(r"(不|没有?)$", text[max(0, m.start() - 2):m.start()])
               for m in pattern.finditer(text))


def _fall_and_cannot_stand(text: str) -> bool:
    """A fall told now, then in that clause or the next one the patient cannot stand or walk."""
    for fall in _FALL.finditer(text):
        if polarity(text, fall.start(), fall.end()) != PRESENT:
            continue
        window = text[fall.end() : fall.end() + 20]
        stand = _CANNOT_STAND.search(window)
        if stand and "。" not in window[: stand.start()] and not re.search(r"(不是|还好|没有?)$", window[: stand.start()]):
            return True
    return False


def decide(
    *, red_flag: bool, symptoms: dict[str, str], text: str, temperature, duration, severity, ctx, self_care_ok: bool,
    same_day: list[SameDayRule] = (), after_life_event: bool = False, old_injuries=frozenset(),
    duration_vague: bool = False,
) -> CareDecision:
    """`duration` is how long the complaint has lasted; `after_life_event` says the message dates an operation, a birth,
    a stroke or an injury ("胃癌手术后一年多了，现在胃胀"): not a self-limiting complaint to care for at home."""
    if red_flag:
        return CareDecision(EMERGENCY_NOW, EMERGENCY_MESSAGE, ["red_flag"])
    infant_months = ctx.age_years * 12 if ctx.age_years is not None else None
    rules = within_24h_rules(symptoms, text, temperature=temperature, duration=duration, child=ctx.child,
                             infant_months=infant_months, old_injuries=old_injuries, duration_vague=duration_vague)
    # Same-day rules (a transient stroke, a faint, a bite) come first, each with its own advice.
    if same_day:
        return CareDecision(WITHIN_24H, "".join(r.advice for r in same_day), [r.rule for r in same_day] + rules)
    if rules:
        return CareDecision(WITHIN_24H, ADVICE[WITHIN_24H], rules)
    present = [s for s, a in symptoms.items() if a == "yes"]
    mild_and_short = (duration is None or duration <= _SELF_CARE_MAX_DAYS) and severity != "severe"
    vulnerable = ctx.infant or ctx.pregnant or ctx.elderly
    treated = bool(_NO_BETTER_AFTER_MEDICINE.search(text) or _RASH_AFTER_MEDICINE.search(text))
    recurring = bool(_RECURRING.search(text))
    if (present and self_care_ok and mild_and_short and not vulnerable and not treated and not recurring
            and not after_life_event
            and (temperature or 0) < 38.5):
        tips = [SELF_CARE_ADVICE[s] for s in present if s in SELF_CARE_ADVICE]
        advice = "可以先在家观察和护理：" + "".join(tips or ["注意休息，多喝水，清淡饮食。"]) + COME_BACK
        return CareDecision(SELF_CARE, advice, ["mild_self_limiting"])
    return CareDecision(ROUTINE, ADVICE[ROUTINE], [])
