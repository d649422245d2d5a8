"""Who the patient is: the selected 就诊人's age, sex and pregnancy, completed or corrected by cues in the text.

A message about someone else ("我家宝宝7个月", "我妈68岁") describes the patient triage is for, so an age or sex
stated in the text wins over the one passed in, and a child cue (宝宝, 孩子) marks the patient as a child even when
an adult age was passed (a parent typing for the child). Pregnancy cues make the patient a pregnant woman, and so does a
birth within the 42-day puerperium; a birth dated beyond it is past history (yiyun.triage.timeline).
"""

from dataclasses import asdict, dataclass

from yiyun.triage.quantities import CHILD_MAX_AGE
from yiyun.triage.timeline import PUERPERIUM_DAYS
from yiyun.triage.understand import Reading


@dataclass
class PatientContext:
    age_years: float | None = None
    sex: str | None = None
    pregnant: bool = False
    pregnancy_week: int | None = None
    days_since_birth: float | None = None
    child: bool = False
    infant: bool = False
    elderly: bool = False
    source: str = "request"

    def as_dict(self) -> dict:
        return asdict(self)


def patient_context(
    readings: list[Reading], cue_tags: set[str], *, age=None, sex=None, pregnant=None
) -> PatientContext:
    ctx = PatientContext(age_years=float(age) if age is not None else None, sex=_sex(sex), pregnant=bool(pregnant))
    text_age = next((r.age_years for r in readings if r.age_years is not None), None)
    text_sex = next((r.sex for r in readings if r.sex), None)
    week = next((r.pregnancy_week for r in readings if r.pregnancy_week), None)
    birth = min((r.days_since_birth for r in readings if r.days_since_birth is not None), default=None)
    if text_age is not None and text_age < CHILD_MAX_AGE and ("pregnancy" in cue_tags or week):
        text_age = None  # "怀孕7个月，宝宝不怎么动": the baby is the fetus, the patient the mother
    mother = birth is not None and "pediatric" not in cue_tags  # "生完孩子5天": the mother writes, about herself
    # "喂奶的时候乳头疼，孩子一吸就疼": the baby is named, the mother is the patient. A baby's age stated as well keeps the
    # baby the patient ("宝宝2个月，发烧38度5，喂奶的时候乳头也疼"): its fever cannot be lost to the mother's breast.
    nursing = "nursing" in cue_tags and (text_age is None or text_age >= CHILD_MAX_AGE)
    if nursing:
        cue_tags = cue_tags - {"pediatric", "infant"}
    if text_age is not None and text_age < CHILD_MAX_AGE and mother:
        text_age = None
    if text_age is not None and (ctx.age_years is None or "pediatric" in cue_tags or "elderly" in cue_tags):
        ctx.age_years, ctx.source = text_age, "text"
    if text_sex and (ctx.sex is None or cue_tags & {"pediatric", "elderly", "pregnancy"}):
        ctx.sex = text_sex
    ctx.days_since_birth = birth
    if "pregnancy" in cue_tags or week or (mother and birth <= PUERPERIUM_DAYS):
        ctx.pregnant = True  # the puerperium counts: "生完孩子5天，下面出血很多" is a possible postpartum haemorrhage
        ctx.pregnancy_week = week
    if ctx.pregnant or nursing:
        ctx.sex = "F"
    pediatric_cue = "pediatric" in cue_tags and not ctx.pregnant
    if pediatric_cue and ctx.source == "request" and ctx.age_years is not None and ctx.age_years >= CHILD_MAX_AGE:
        ctx.age_years, ctx.source = None, "text"  # "宝宝发烧" typed by a parent whose own age was passed
    if ctx.age_years is not None:
        ctx.child = ctx.age_years < CHILD_MAX_AGE
    else:
        ctx.child = pediatric_cue
    ctx.infant = ctx.child and ctx.age_years is not None and ctx.age_years < 1
    ctx.elderly = ctx.age_years is not None and ctx.age_years >= 65 or ("elderly" in cue_tags and ctx.age_years is None)
    if ctx.child:
        ctx.pregnant = False
    return ctx


def _sex(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    if text in ("F", "FEMALE", "女", "W"):
        return "F"
    if text in ("M", "MALE", "男"):
        return "M"
    return None
