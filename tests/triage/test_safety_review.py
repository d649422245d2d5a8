"""Messages a safety review (2026-12-04) found lowered in care level by a batch of reading changes (relatives who tell of
the writer, spaces typed for commas, wrong guesses, complaints put aside, tests found well, negative pregnancy tests).
Each must keep at least the care level and the red flags the engine gave before that batch."""

import pytest

LEVELS = {"SELF_CARE": 0, "ROUTINE": 1, "WITHIN_24H": 2, "EMERGENCY_NOW": 3}
CASES = [
    ("宝宝查过没事，现在2个月发烧38度5", "WITHIN_24H", []),
    ("左边胸口 压着疼 出冷汗", "EMERGENCY_NOW", [4]),
    ("孩子的嘴唇 发紫了 喘不上气", "EMERGENCY_NOW", [3]),
    ("以为胸口疼是岔气，疼了一个小时出冷汗", "EMERGENCY_NOW", [4]),
    ("以为是扭伤，脚肿得厉害不能走", "WITHIN_24H", []),
    ("孕检做了都正常，今天肚子一阵阵疼见红", "EMERGENCY_NOW", [17]),
    ("验孕一条杠但是下面流血很多", "EMERGENCY_NOW", [17]),
    ("验孕棒一条线深一条线浅，今天肚子疼下面流血", "EMERGENCY_NOW", [17]),
    ("验孕棒前几天一条杠，今天两条杠了，肚子疼出血", "EMERGENCY_NOW", [17]),
    ("验孕是白板，下面流血肚子疼", "EMERGENCY_NOW", [17]),
    ("孩子吃东西卡住了，脸发黑", "EMERGENCY_NOW", [3]),
    ("孩子脸发黑，不会哭了", "EMERGENCY_NOW", [3]),
    ("脸发黑，一句话要分好几口说", "EMERGENCY_NOW", [3]),
    ("溺水了，脸发黑", "EMERGENCY_NOW", [3]),
    ("我妈的嘴唇 发紫了", "EMERGENCY_NOW", [3]),
    ("孩子的脸色 发青了", "EMERGENCY_NOW", [3]),
    ("我老公的胸口 压着疼 出了一身冷汗", "EMERGENCY_NOW", [4]),
    ("我爸右边胳膊 抬不起来 说话含糊", "EMERGENCY_NOW", [5]),
    ("孩子喝了半瓶 消毒水", "EMERGENCY_NOW", [12]),
    ("发烧39度5三天了，不过想问的是能吃布洛芬吗", "WITHIN_24H", []),
    ("肚子疼得厉害一天了，现在想问的是挂什么科", "WITHIN_24H", []),
    ("孩子高烧不退，今天主要问挂哪个科", "WITHIN_24H", []),
    ("我怀孕了，孕吐先不管，想问的是今天下面出血", "EMERGENCY_NOW", [17]),
    ("孕妇，腰疼先不管，想问肚子一阵阵疼", "EMERGENCY_NOW", [17]),
    ("头疼吐了好几次，先不管，想问感冒吃什么药", "WITHIN_24H", []),
    ("孕检做了没事，今天肚子疼出血了", "EMERGENCY_NOW", [17]),
    ("NT做了没事，今天流血了", "EMERGENCY_NOW", [17]),
    ("孕酮查了正常，今天见红了", "EMERGENCY_NOW", [17]),
    ("HCG查了正常，肚子疼下面出血", "EMERGENCY_NOW", [17]),
    ("验孕一条杠，下腹一侧疼得厉害，下面出血", "EMERGENCY_NOW", [17]),
    ("验孕试纸一条杠一条很淡，下面出血", "EMERGENCY_NOW", [17]),
    ("验孕棒第一次一条杠，隔天两条杠了，流血", "EMERGENCY_NOW", [17]),
    ("孩子被痰卡住了，脸发黑", "EMERGENCY_NOW", [3]),
    ("宝宝吐奶后脸发黑，不动了", "EMERGENCY_NOW", [3]),
    ("我爸脸发黑，昏过去了", "EMERGENCY_NOW", [3]),
    ("脸色发黑，心慌，晕倒了", "EMERGENCY_NOW", [3]),
    ("以为吐血是上火，今天又吐了一大口", "EMERGENCY_NOW", [7]),
    ("以为嘴歪是落枕，说话也不清楚了", "EMERGENCY_NOW", [5]),
    ("以为胸痛是胃病，疼了一个小时出冷汗", "EMERGENCY_NOW", [4]),
    ("以为心口疼是胃病，疼得出冷汗", "EMERGENCY_NOW", [4]),
    ("以为下面出血是来月经了，怀孕8周", "EMERGENCY_NOW", [17]),
    ("以为蛋疼是扭到了，突然疼得厉害", "WITHIN_24H", []),
    ("以为宝宝发烧是打疫苗，1个月，38度5", "WITHIN_24H", []),
    ("20天大便稀，发烧38度", "EMERGENCY_NOW", [13]),
    ("两个月大小的宝宝发烧38度", "EMERGENCY_NOW", [13]),
    ("2个月大小宝宝发烧38度", "EMERGENCY_NOW", [13]),
    ("儿子嫌我烦，他最近发烧咳嗽", "WITHIN_24H", []),
]


@pytest.mark.parametrize(("text", "level", "flags"), CASES)
def test_reading_changes_never_lower_the_care_level(engine, text, level, flags):
    result = engine.result(engine.start(text))
    assert LEVELS[result["care_level"]] >= LEVELS[level]
    assert set(flags) <= {f["id"] for f in result["red_flags"]}
