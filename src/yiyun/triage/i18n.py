"""Marking the engine's texts for translation without Django.

The engine runs without Django settings (evaluation, build scripts, the tests of the engine alone); Django's own
gettext_noop reads the settings. This one only marks: `makemessages` finds the calls by their name, and the pages
translate the marked texts with `{% translate %}`.
"""


def gettext_noop(message: str) -> str:
    return message
