"""Login pages: mobile number + password, or + SMS code (HTMX sends the code)."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yiyun.accounts import services
from yiyun.accounts.forms import PasswordLoginForm, SmsLoginForm
from yiyun.core.errors import DomainError
from yiyun.core.forms import add_domain_error, message_for
from yiyun.core.net import client_ip


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def login_page(request):
    mode = request.POST.get("mode") or request.GET.get("mode") or "password"
    password_form = PasswordLoginForm(request.POST if mode == "password" and request.method == "POST" else None)
    sms_form = SmsLoginForm(request.POST if mode == "sms" and request.method == "POST" else None)
    if request.method == "POST":
        form = password_form if mode == "password" else sms_form
        if form.is_valid():
            try:
                if mode == "password":
                    user = services.login_with_password(request=request, **form.cleaned_data)
                else:
                    user = services.login_with_sms(**form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                login(request, user, backend="yiyun.accounts.backends.PhonePasswordBackend")
                response = redirect(_next_url(request))
                if user.elder_mode:
                    response.set_cookie("yiyun_elder", "1", max_age=365 * 24 * 3600, samesite="Lax")
                return response
    return render(request, "accounts/login.html", {
        "mode": mode, "password_form": password_form, "sms_form": sms_form, "next": _next_url(request),
    })


@require_POST
def send_sms_code(request):
    try:
        services.request_sms_code(phone=request.POST.get("phone", ""), ip=client_ip(request))
    except DomainError as error:
        response = HttpResponse(f'<span class="error" role="alert">{escape(message_for(error))}</span>',
                                status=error.status)
        for name, value in error.headers.items():
            response[name] = value
        return response
    return HttpResponse(f'<span class="muted" role="status">{escape(_("验证码已发送，5分钟内有效"))}</span>')


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:home")
