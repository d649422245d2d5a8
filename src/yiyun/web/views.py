"""Home, the “我的” hub, and the elder-mode switch."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yiyun.accounts import services as account_services
from yiyun.catalog import selectors as catalog
from yiyun.web.context_processors import ELDER_COOKIE


def home(request):
    return render(request, "web/home.html", {"hospitals": catalog.list_hospitals()[:5], "nav": "home"})


@login_required
def mine(request):
    from yiyun.notifications.selectors import unread_count

    return render(request, "web/mine.html", {"nav": "mine", "unread": unread_count(account=request.user)})


@require_POST
def set_elder_mode(request):
    enabled = request.POST.get("enabled") == "1"
    if request.user.is_authenticated:
        account_services.set_elder_mode(user=request.user, enabled=enabled)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    response.set_cookie(ELDER_COOKIE, "1" if enabled else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response
