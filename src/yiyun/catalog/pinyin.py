"""Pinyin keys for searching people by name: full pinyin (`zhangwei`) and initials (`zw`).

Surnames are read with their surname pronunciation (曾 zeng, 单 shan, 解 xie …), which a general
pinyin dictionary gets wrong; two-character compound surnames are recognised first.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

_COMPOUND_SURNAMES = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "上官": ("shang", "guan"), "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"), "皇甫": ("huang", "fu"), "尉迟": ("yu", "chi"), "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"), "令狐": ("ling", "hu"), "长孙": ("zhang", "sun"), "宇文": ("yu", "wen"),
    "司徒": ("si", "tu"), "夏侯": ("xia", "hou"), "澹台": ("tan", "tai"), "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
}
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "查": "zha", "朴": "piao", "乐": "yue", "覃": "qin",
    "缪": "miao", "仇": "qiu", "盖": "ge", "种": "chong", "员": "yun", "尉": "yu", "翟": "zhai", "繁": "po",
    "句": "gou", "召": "shao", "秘": "bi", "任": "ren", "重": "chong", "长": "chang", "沈": "shen", "柏": "bai",
    "薄": "bo", "纪": "ji", "折": "she", "蕃": "pi", "贲": "ben", "华": "hua", "黑": "he", "祭": "zhai",
}


def _split_surname(name: str) -> tuple[list[str], str]:
    for surname, reading in _COMPOUND_SURNAMES.items():
        if name.startswith(surname):
            return list(reading), name[len(surname):]
    if name and name[0] in _SURNAME_READINGS:
        return [_SURNAME_READINGS[name[0]]], name[1:]
    return [], name


def name_syllables(name: str) -> list[str]:
    """One syllable per character: ['zhang', 'wei'] for 张伟, surnames read as surnames."""
    surname, rest = _split_surname((name or "").strip())
    return surname + [s.lower() for s in lazy_pinyin(rest, style=Style.NORMAL, errors="ignore")]


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials): ('zhangwei', 'zw'); 欧阳娜娜 → ('ouyangnana', 'oynn')."""
    syllables = name_syllables(name)
    return "".join(syllables), "".join(s[:1] for s in syllables)
