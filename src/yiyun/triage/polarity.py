"""Whether a mention in a message is present, negated, resolved, past history or only hypothetical.

"不发烧", "没有咳嗽" → negated; "发烧已经退了", "昨天胸痛今天已经完全好了" → resolved; "以前中过风现在恢复得很好"
→ history; "心梗有什么前兆", "会不会是中风", "听说会变成黑色素瘤" → hypothetical. Only "present" mentions count as evidence.
"""

import datetime
import re

PRESENT, NEGATED, RESOLVED, HISTORY, HYPOTHETICAL = "present", "negated", "resolved", "history", "hypothetical"

CLAUSE_BREAK = re.compile(r"[，,。.；;！!？?\n]|但是|但|可是|不过|却|而且|同时|然后|现在|今天|目前")
_NEGATION_BEFORE = re.compile(
    r"(没有|没|无|未|不|不是|否认|并无|并没有|从没|从来没|从未|也没|都没|既没|不会|不太会)"
    r"(什么|明显|怎么|有|出现|感到|觉得|发生|再|太|任何|过)?(的)?$"
)
_LIST_JOIN = re.compile(r"^[、和或及也与跟,，/ ]*(也)?(没有?|无|不)?$")
_RESOLVED_AFTER = re.compile(
    r"^[^，。；！？]{0,8}?(已经|都|早就|已|基本|完全)?(完全)?((?<![备写想弄做搞买定排约就又才])好了|(?<![就又才])退了|退烧了|消了|消失了|没了|止住了|不疼了|不痛了|"
    r"恢复正常|恢复了|痊愈|没事了|康复了|缓过来了|正常了)"
)
_RESOLVED_NEXT_CLAUSE = re.compile(
    r"^(现在|今天|目前|后来|已经|吃了药|吃药后|休息后)?[^，。；！？]{0,10}?(已经|都)?(完全)?"
    r"((?<![备写想弄做搞买定排约就又才])好了|(?<![就又才])退了|退烧了|消了|消失了|没了|止住了|不疼了|不痛了|恢复得(很|挺|还)?(好|不错)|恢复正常|恢复了|痊愈|没事了|正常了)"
)
_QUESTION = re.compile(r"能不能|能否|会不会|可不可以|怎么才能|多久(能|才)|吗|么$|\?|？")
_HISTORY_BEFORE = re.compile(r"(以前|曾经|过去|之前得|小时候|年前|多年前|那年|去年|前年|既往|有过|得过|老毛病|病史)[^，。；！？]{0,10}$")
_HABITUAL_BEFORE = re.compile(
    r"(每次|每当|每回|(复发|发作|犯病|病发|发病|犯)(的)?(时候|时)|一(犯病|发作|复发))[^，。；！？]{0,8}$"
)
# "上次坐飞机降落的时候耳朵疼得要命，这次怎么办": the last episode, told in the sign's own clause, is history for the red
# flags even when a later clause asks about this time.
_LAST_TIME_BEFORE = re.compile(r"(上次|上回|上1次|上1回|那次|那1次)[^，。；！？]{0,12}$")
_HISTORY_AFTER = re.compile(r"^过(?![来去度敏多])|^[^，。；！？]{0,3}(病史|后遗症)")
# A story told from a remote time ("2004年诊断为肝硬化，当时有腹水、呕血", "我小的时候从楼梯上摔下来，脑部受过伤"):
# the anchor may sit clauses before the sign. 当时/那时 are no anchors: they point back to whatever time was told last
# ("今天早上摔倒了，当时头流了很多血" is now), but past the anchor's clause the story reaches a sign only when
# they (or 后来, 结果) carry it on ("小时候就经常压食，大便发黑": the second clause is told of now). Anything that
# brings the story back to now or to a new episode between the anchor and the sign, or a new episode anywhere after
# it ("…今天又吐血了"), keeps the sign present.
_REMOTE_ANCHOR = re.compile(
    r"((?P<year>(?:19|20)\d\d)年|小时候|小的时候|年轻的?时候?|上学的时候|读书的时候|[0-9一二三四五六七八九十几两多半]+年前|"
    r"去年|前年|[0-9一二三四五六七八九十几两多半]+个多?月前|当年|那年|记得有一?次|依稀记得)"
)
_NEW_EPISODE = r"今天|今早|今晚|昨天|昨晚|刚才|刚刚|这次|此次|这回|又|再次|再度|复发|最近|这几天|这2天"  # messages are normalised: 这两天 reads 这2天
_BACK_TO_NOW = re.compile(_NEW_EPISODE + r"|现在|目前|今年|前天|近期")  # between the anchor and the sign
_NEW_EPISODE_AFTER = re.compile(_NEW_EPISODE + r"|加重")  # anywhere after the sign ("现在" there is today's state)
_STORY_GOES_ON = re.compile(r"当时|那时|那次|那1次|后来|结果")
# A worry is no symptom ("怕哪天突然晕倒", "恐怕哪天会晕倒"), but 怕是 / 恐怕是 say what probably happened
# ("我怕是晕过去了一会儿").
_HYPOTHETICAL_BEFORE = re.compile(
    r"(会不会|是不是|担心|害怕|(?<![恐只])怕(?!是)|(恐怕|只怕)(?!是)|预防|如果|万一|防止|避免|(?<!不)小心|怎么预防|什么是|了解|"
    r"(会|容易|可能|以后|将来)(变成|转成|转变成|发展成|演变成|恶变成))[^，。；！？]{0,8}$"
)
# A pregnancy guessed and not there ("还以为怀上了", "以为是怀孕了"); other wrong guesses are read in understand.
# Red flags never take a guess for an answer.
_PREGNANCY_GUESS_BEFORE = re.compile(r"以为(是|自己|她|我)?(又)?$")
_HYPOTHETICAL_AFTER = re.compile(r"^[^，。；！？]{0,6}(有什么|什么(症状|表现|前兆|原因)|的(症状|表现|前兆|原因|后遗症|预防)|怎么预防|前兆|会遗传)")
_CHECKED_BEFORE = re.compile(r"(查过|查了|检查过|检查了|做过|做了|看过|看了|拍过|拍了)[^，。；！？]{0,4}$")
_CHECKED_AFTER = re.compile(r"(也|都)?(查过|查了|检查过|检查了|做过|做了|拍过|拍了)")
_FOUND_WELL_AFTER = re.compile(
    r"^[^，。；！？]{0,4}(没毛病|没问题|没什么问题|都正常|(?<![不非])(?<!不太)(?<!不大)(?<!不怎么)(?<!不是很)(?<!不是太)正常|没事|不高|不低|没异常|无异常|没发现异常)(?![吗吧么嘛呢?？]|[^，。；！？]{0,3}[吗吧么嘛?？])"
)
_LIKE_BEFORE = re.compile(r"(像|好像|好似|仿佛|如同)[^，。？！；,;?!]{0,2}$")
_LIKE_AFTER = re.compile(r"^[^，。？！；,;?!]{0,2}(一样|似的|那样)")
_NOT_A_NEGATION = re.compile(r"(不知道|不清楚|不确定|说不清|不一定)$")


def guessed_pregnancy(text: str, start: int) -> bool:
    """The pregnancy word at text[start] is one the writer guessed ("以为自己又怀孕了")."""
    left = clause_bounds(text, start, start)[0]
    return text.startswith("怀", start) and bool(_PREGNANCY_GUESS_BEFORE.search(text, left, start))


def told_of_remote_past(text: str, start: int, end: int) -> bool:
    """The mention text[start:end] belongs to a story about a remote time, with nothing after the time anchor that
    makes it now and no new episode told later in the message."""
    this_year = datetime.date.today().year
    anchors = [m for m in _REMOTE_ANCHOR.finditer(text, 0, start) if not m.group("year") or int(m.group("year")) < this_year]
    if not anchors:
        return False
    anchor = anchors[-1]
    if _BACK_TO_NOW.search(text, anchor.end(), start):
        return False
    anchor_clause_end = clause_bounds(text, anchor.start(), anchor.end())[1]
    if anchor_clause_end < start and not _STORY_GOES_ON.search(text, anchor_clause_end, start):
        return False  # "小时候就经常压食，大便发黑": the next clause is today's complaint again
    return not _NEW_EPISODE_AFTER.search(text, end)


def found_well_on_check(text: str, start: int, end: int) -> bool:
    """The organ or test named at text[start:end] was checked and found well ("查过心脏没毛病"); not a question about
    it ("做了胃镜吐血正常吗"). For body-part and test cues only: a symptom is never negated this way."""
    left, right = clause_bounds(text, start, end)
    after = text[end:right]
    checked = _CHECKED_AFTER.match(after)
    if checked:  # "心电图做了没事": the check told after the test's name
        return bool(_FOUND_WELL_AFTER.search(after[checked.end() :]))
    return bool(_CHECKED_BEFORE.search(text, left, start) and _FOUND_WELL_AFTER.search(after))


def is_comparison(text: str, start: int, end: int) -> bool:
    """The words at text[start:end] are what something feels like ("像有玻璃渣子划一样疼"), not what happened: a
    comparison word just before them and 一样 / 似的 just after, in the same clause."""
    return bool(_LIKE_BEFORE.search(text, 0, start) and _LIKE_AFTER.search(text[end:]))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the clause holding text[start:end]."""
    left = 0
    for match in CLAUSE_BREAK.finditer(text, 0, start):
        left = match.end()
    right_match = CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, right


def polarity(
    text: str, start: int, end: int, *, other_terms: list[tuple[int, int]] | None = None, habitual_is_history: bool = False
) -> str:
    """Polarity of the mention text[start:end] within its message (see module docstring).

    With `habitual_is_history` (red flags), the usual pattern of a known illness ("癫痫复发的时候神志不清") and a story
    told from a remote time ("2004年…当时有呕血") count as history, not as something happening now; for symptoms a
    recurring complaint ("每次来月经都痛") is present."""
    left, right = clause_bounds(text, start, end)
    before = text[left:start]
    after = text[end:right]
    if _is_negated(before, start - left, other_terms or [], left):
        return NEGATED
    if _RESOLVED_AFTER.search(after):
        return RESOLVED
    rest = text[right:]
    next_clause = CLAUSE_BREAK.split(rest.lstrip("，,。.；;！!？? "), maxsplit=1)
    if rest and next_clause:
        following = rest.lstrip("，,。.；;！!？? ")[:16]
        if (_RESOLVED_NEXT_CLAUSE.search(following) and not re.search(r"(更|加重|厉害|还|又|一直)", following[:10])
                and not _QUESTION.search(next_clause[0])):
            return RESOLVED  # but not "这病能不能治好了？", a question
    if _HISTORY_BEFORE.search(before) or _HISTORY_AFTER.search(after):
        return HISTORY
    if habitual_is_history and (_HABITUAL_BEFORE.search(before) or _LAST_TIME_BEFORE.search(before)
                                or told_of_remote_past(text, start, end)):
        return HISTORY
    if _HYPOTHETICAL_BEFORE.search(before) or _HYPOTHETICAL_AFTER.search(after):
        return HYPOTHETICAL
    if not habitual_is_history and guessed_pregnancy(text, start):
        return HYPOTHETICAL
    return PRESENT


def _is_negated(before: str, offset: int, other_terms: list[tuple[int, int]], clause_start: int) -> bool:
    """A negation word just before the mention, or before a list of mentions it belongs to ("没有发烧咳嗽")."""
    if _NOT_A_NEGATION.search(before):
        return False
    if _NEGATION_BEFORE.search(before[-6:]):
        return True
    # walk back over earlier mentions in the same clause joined by 、和 or nothing: 没有发烧、咳嗽
    cursor = len(before)
    for term_start, term_end in sorted(other_terms, reverse=True):
        rel_start, rel_end = term_start - clause_start, term_end - clause_start
        if rel_end > cursor or rel_start < 0:
            continue
        gap = before[rel_end:cursor]
        if not _LIST_JOIN.match(gap):
            break
        cursor = rel_start
        if _NEGATION_BEFORE.search(before[:cursor][-6:]):
            return True
    return False
