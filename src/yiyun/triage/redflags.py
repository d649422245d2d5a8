"""The 18 red flags (kb/red_flags.json), checked on every message before anything else.

A rule's expressions must all match in one clause (or anywhere, for scope "message"); a match counts only when it is
present (not negated, resolved, past history or hypothetical; a flag with `count_resolved` also counts resolved signs).
Context conditions use the patient context. A flag's `if_resolved` care rule applies when its signs are described as
already over (see `RedFlagChecker.resolved`); a flag's `residual` spares what remains of a known past illness.
"""

import functools
import re
from dataclasses import dataclass

from yiyun.triage.i18n import gettext_noop
from yiyun.triage.kb_files import read_json
from yiyun.triage.normalize import message_pattern
from yiyun.triage.polarity import HYPOTHETICAL, NEGATED, PRESENT, RESOLVED, clause_bounds, polarity

# The flags' names and the crisis hotline as kb/red_flags.json has them, marked for translation: the pages show them
# translated (tests hold this list equal to the file's).
TRANSLATABLE_TEXTS = (
    gettext_noop("心跳呼吸骤停"),
    gettext_noop("昏迷或突然意识障碍"),
    gettext_noop("严重呼吸困难"),
    gettext_noop("疑似心梗胸痛"),
    gettext_noop("疑似卒中"),
    gettext_noop("抽搐不止或反复"),
    gettext_noop("严重出血"),
    gettext_noop("休克征象"),
    gettext_noop("严重过敏反应"),
    gettext_noop("剧烈疼痛"),
    gettext_noop("严重外伤"),
    gettext_noop("中毒或药物过量"),
    gettext_noop("3个月以下婴儿发热"),
    gettext_noop("儿童发热伴危险征象"),
    gettext_noop("突发剧烈头痛或头痛伴发热颈强直"),
    gettext_noop("自杀或伤人风险"),
    gettext_noop("孕期腹痛、阴道出血或胎动减少"),
    gettext_noop("糖尿病急症（疑似酮症酸中毒）或睾丸突发剧痛"),
    gettext_noop("如果您正处在危险中或有伤害自己的想法，请立即拨打120，或拨打全国心理援助热线 400-161-9995（北京心理危机干预中心 010-82951332），也可以马上联系身边信任的人陪着您。您并不孤单，专业人员愿意倾听和帮助您。"),
)

_NOW = (PRESENT,)
_OVER_TOO = (PRESENT, RESOLVED)


@dataclass(frozen=True)
class FlagContext:
    """What age-, fever-, pregnancy-, birth- and diabetes-dependent flags need to know about the patient."""

    age_years: float | None = None
    child: bool = False
    fever: bool = False
    temperature: float | None = None
    pregnant: bool = False
    diabetes: bool = False
    days_since_birth: float | None = None


@dataclass(frozen=True)
class Rule:
    patterns: tuple[re.Pattern, ...]
    scope: str
    with_patterns: tuple[re.Pattern, ...]
    not_patterns: tuple[re.Pattern, ...]
    not_message: tuple[re.Pattern, ...]
    context: dict
    # The message says this episode is new, different, worse or with alarming signs ("这次…不一样", "冷汗", "推迟了两周"):
    # the rule's exemptions for the usual or long-known pain (`not`, `not_message`) then no longer apply.
    exempt_unless: tuple[re.Pattern, ...] = ()
    now_only: bool = False  # only signs happening now count, even in a `count_resolved` flag (a fit still going on)


@dataclass(frozen=True)
class RedFlag:
    id: int
    name: str
    rules: tuple[Rule, ...]
    crisis_hotline: bool = False
    if_resolved: dict | None = None  # signs described as already over: no emergency, but this care rule
    count_resolved: bool = False  # signs described as over raise the flag too (a seizure has usually stopped)
    residual: "Residual | None" = None  # what remains of a known past illness is not a new emergency


@dataclass(frozen=True)
class Residual:
    """A sign told as the lasting deficit of a known past illness ("脑梗出院一个月了，右手还是没劲"): `known` names the
    illness as history, `persisting` says the sign has stayed (in its clause, or in the history's: 后遗症), and no
    `new` word anywhere makes it a new or worse episode ("今天突然右手没劲", "又说话不清楚了")."""

    known: re.Pattern
    persisting: re.Pattern
    new: re.Pattern

    def explains(self, text: str, start: int, end: int) -> bool:
        if self.new.search(text):
            return False
        known = [m for m in self.known.finditer(text)
                 if polarity(text, m.start(), m.end()) not in (NEGATED, HYPOTHETICAL)]
        if not known:
            return False
        left, right = clause_bounds(text, start, end)
        clauses = [text[left:right]] + [text[slice(*clause_bounds(text, m.start(), m.end()))] for m in known]
        return any(self.persisting.search(clause) for clause in clauses)


class RedFlagChecker:
    def __init__(self, data: dict | None = None) -> None:
        data = data or read_json("red_flags.json")
        self.hotline: str = data["hotline"]
        self.flags = tuple(_flag(f) for f in data["flags"])

    def check(self, text: str, context: FlagContext) -> list[RedFlag]:
        """Flags raised by one normalised message (cached: a turn re-checks every message of the conversation)."""
        return list(self._check(text, context))

    def clear_cache(self) -> None:
        self._check.cache_clear()
        self._resolved.cache_clear()

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one checker per process, the cache is meant to live with it
    def _check(self, text: str, context: FlagContext) -> tuple[RedFlag, ...]:
        return tuple(
            flag for flag in self.flags
            if any(_rule_fires(rule, text, context, accept=_NOW if rule.now_only or not flag.count_resolved else _OVER_TOO,
                               residual=flag.residual)
                   for rule in flag.rules)
        )

    def resolved(self, text: str, context: FlagContext) -> list[RedFlag]:
        """Flags with an `if_resolved` rule whose signs the message describes as over ("早上说话突然不利索，现在
        好了"): they raise no emergency (a resolved sign is not a red flag), but their own care rule applies."""
        return list(self._resolved(text, context))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - as _check
    def _resolved(self, text: str, context: FlagContext) -> tuple[RedFlag, ...]:
        return tuple(
            flag for flag in self.flags
            if flag.if_resolved
            and not any(_rule_fires(rule, text, context, residual=flag.residual) for rule in flag.rules)
            and any(_rule_fires(rule, text, context, accept=_OVER_TOO, residual=flag.residual) for rule in flag.rules)
        )


def _flag(data: dict) -> RedFlag:
    rules = tuple(
        Rule(
            patterns=tuple(message_pattern(p) for p in rule["all"]),
            scope=rule.get("scope", "clause"),
            with_patterns=tuple(message_pattern(p) for p in rule.get("with", [])),
            not_patterns=tuple(message_pattern(p) for p in rule.get("not", [])),
            not_message=tuple(message_pattern(p) for p in rule.get("not_message", [])),
            context=rule.get("context", {}),
            now_only=bool(rule.get("now_only")),
            exempt_unless=tuple(message_pattern(p) for p in rule.get("exempt_unless", [])),
        )
        for rule in data["rules"]
    )
    residual = data.get("residual")
    return RedFlag(data["id"], data["name"], rules, bool(data.get("crisis_hotline")), data.get("if_resolved"),
                   bool(data.get("count_resolved")),
                   Residual(*(message_pattern(residual[k]) for k in ("known", "persisting", "new"))) if residual else None)


def _context_ok(conditions: dict, context: FlagContext) -> bool:
    if "infant_days_max" in conditions and (
        context.age_years is None or context.age_years * 365 >= conditions["infant_days_max"]
    ):
        return False
    if "temperature_min" in conditions:
        hot_enough = context.temperature is not None and context.temperature >= conditions["temperature_min"]
        feverish_unmeasured = context.fever and context.temperature is None
        if not (hot_enough or feverish_unmeasured):
            return False
    if conditions.get("child") and not context.child:
        return False
    if conditions.get("fever") and not context.fever:
        return False
    if conditions.get("pregnant") and not context.pregnant:
        return False
    if "postpartum_days_max" in conditions and (
        context.days_since_birth is None or context.days_since_birth > conditions["postpartum_days_max"]
    ):
        return False
    return not (conditions.get("diabetes") and not context.diabetes)


def _present_matches(pattern: re.Pattern, text: str, lo: int = 0, hi: int | None = None, *,
                     accept: tuple[str, ...] = (PRESENT,)) -> list[re.Match]:
    hi = len(text) if hi is None else hi
    return [m for m in pattern.finditer(text, lo, hi)
            if m.end() > m.start() and polarity(text, m.start(), m.end(), habitual_is_history=True) in accept]


def _rule_fires(rule: Rule, text: str, context: FlagContext, *, accept: tuple[str, ...] = (PRESENT,),
                residual: Residual | None = None) -> bool:
    if rule.context and not _context_ok(rule.context, context):
        return False
    if rule.with_patterns and not any(p.search(text) for p in rule.with_patterns):
        return False
    exemptions = not any(p.search(text) for p in rule.exempt_unless)
    if exemptions and any(p.search(text) for p in rule.not_message):
        return False
    first = _present_matches(rule.patterns[0], text, accept=accept)
    for match in first:
        lo, hi = (0, len(text)) if rule.scope == "message" else clause_bounds(text, match.start(), match.end())
        clause = text[slice(*clause_bounds(text, match.start(), match.end()))]
        if exemptions and any(p.search(clause) for p in rule.not_patterns):
            continue
        if residual is not None and residual.explains(text, match.start(), match.end()):
            continue
        if all(_present_matches(p, text, lo, hi, accept=accept) for p in rule.patterns[1:]):
            return True
    return False
