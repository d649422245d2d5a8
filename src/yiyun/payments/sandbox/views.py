"""The sandbox gateway's cashier (收银台): the page a customer is sent to, or reaches by "scanning" the QR code.
确认支付 takes the money and queues the signed notification; 取消 leaves the trade unpaid. Off (404)
wherever PAYMENTS_SANDBOX_ENABLED is false."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yiyun.core.errors import NotFound
from yiyun.payments.sandbox import gateway
from yiyun.payments.sandbox.models import SandboxTrade

TRADE_NOT_FOUND = ("未找到该交易", "Trade not found")


def _trade(trade_no: str) -> SandboxTrade:
    if not settings.PAYMENTS_SANDBOX_ENABLED:
        raise NotFound(*TRADE_NOT_FOUND)
    trade = gateway.trade_by_no(trade_no)
    if trade is None:
        raise NotFound(*TRADE_NOT_FOUND)
    return trade


def _back_to_merchant(request, trade: SandboxTrade):
    target = trade.return_url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("sandboxpay:cashier", trade_no=trade.trade_no)


def cashier(request, trade_no):
    trade = _trade(trade_no)
    qr_view = request.GET.get("view") == "qr"
    return render(request, "sandboxpay/cashier.html", {
        "trade": trade, "qr_view": qr_view, "qr": gateway.qr_text(trade) if qr_view else ""})


@require_POST
def pay(request, trade_no):
    trade = _trade(trade_no)
    try:
        trade = gateway.pay_trade(trade_no=trade.trade_no)
    except gateway.GatewayError as error:
        messages.error(request, error.message)
        return redirect("sandboxpay:cashier", trade_no=trade.trade_no)
    messages.success(request, "支付成功")
    return _back_to_merchant(request, trade)


@require_POST
def cancel(request, trade_no):
    trade = _trade(trade_no)
    messages.info(request, "已取消支付")
    return _back_to_merchant(request, trade)


def scan(request):
    """What a phone does with the QR text: open the cashier of the trade it names."""
    code = request.GET.get("code", "")
    trade_no = (parse_qs(urlsplit(code).query).get("trade_no") or [""])[0]
    return redirect("sandboxpay:cashier", trade_no=_trade(trade_no).trade_no)
