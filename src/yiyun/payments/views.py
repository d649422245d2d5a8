"""我的支付: a patient's payments, and the button that takes them to the gateway (cashier or QR code)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiyun.core.errors import DomainError
from yiyun.core.forms import message_for
from yiyun.payments import selectors, services


@login_required
def payment_list(request):
    payments = selectors.payments_of(user=request.user)[:50]
    return render(request, "payments/list.html", {"payments": payments, "nav": "mine"})


@login_required
def payment_detail(request, payment_id):
    payment = selectors.access_payment(user=request.user, external_id=payment_id)
    return render(request, "payments/detail.html", {"payment": payment, "nav": "mine"})


@login_required
@require_POST
def payment_checkout(request, payment_id):
    payment = selectors.access_payment(user=request.user, external_id=payment_id)
    try:
        checkout = services.start_checkout(payment=payment, method=request.POST.get("method", "redirect"))
    except DomainError as error:
        messages.error(request, message_for(error))
        return redirect("payments:detail", payment_id=payment.external_id)
    if checkout.url:
        return redirect(checkout.url)
    return render(request, "payments/detail.html", {"payment": payment, "qr": checkout.qr, "nav": "mine"})
