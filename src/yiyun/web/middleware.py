"""Elder mode (适老化): larger type and controls, higher contrast. Remembered in a cookie for everyone
and on the account for logged-in users, so it follows them to another phone."""

ELDER_COOKIE = "yiyun_elder"


class ElderModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(ELDER_COOKIE)
        user = getattr(request, "user", None)
        if cookie in ("0", "1"):
            request.elder_mode = cookie == "1"
        else:
            request.elder_mode = bool(user is not None and user.is_authenticated and user.elder_mode)
        return self.get_response(request)
