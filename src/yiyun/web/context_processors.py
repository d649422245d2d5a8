"""Template context shared by every page. Elder mode (适老化: larger type and controls, higher contrast) is
remembered in a cookie for everyone and on the account for logged-in users, so it follows them to
another phone. Worked out here, only when a page is rendered, so API requests never load the session."""

ELDER_COOKIE = "yiyun_elder"


def elder_mode_for(request) -> bool:
    cookie = request.COOKIES.get(ELDER_COOKIE)
    if cookie in ("0", "1"):
        return cookie == "1"
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.elder_mode)


def site(request):
    return {"elder_mode": elder_mode_for(request), "site_name": "医云"}
