"""Booking's side of payments: a held booking's fee is paid through the payments app, which tells us
(`BookingPayable.on_paid`) when the money arrives; a late arrival after the hold was released is refused
here and refunded there.

Lock order is payment → booking (the payments app locks the payment, then calls `on_paid`, which locks the
booking). So booking code never calls a payments service while it holds a booking lock: refunds and closes
are queued with `transaction.on_commit`, and a hold's payment is synced before the booking is locked."""

from __future__ import annotations

import logging

from django.db import transaction

from yiyun.audit.services import AccessContext
from yiyun.booking.errors import InvalidTransition
from yiyun.booking.models import Booking
from yiyun.booking.states import Status
from yiyun.core.errors import DomainError

ORDER_TYPE = "booking"
logger = logging.getLogger("yiyun.booking.payment")


def _subject(booking: Booking) -> str:
    return f"{booking.hospital.name} {booking.department.name} {booking.doctor.name} 挂号费"[:120]


def start_payment(*, ctx: AccessContext, booking_id, method: str = "redirect"):
    """Open (or reuse) the payment of a held booking and return the gateway checkout."""
    from yiyun.booking.selectors import access_booking
    from yiyun.payments import services as payments

    booking = access_booking(ctx=ctx, external_id=booking_id)
    if booking.status != Status.HELD or booking.fee_fen <= 0:
        raise InvalidTransition("该预约无需支付或已超时", "Nothing to pay for this booking", code="nothing_to_pay")
    payment = payments.create_payment(
        order_type=ORDER_TYPE, order_id=str(booking.external_id), account=booking.account,
        amount_fen=booking.fee_fen, subject=_subject(booking), expires_at=booking.hold_expires_at,
        idempotency_key=f"booking:{booking.external_id}", hospital=booking.hospital)
    Booking.objects.filter(pk=booking.pk, payment_ref="").update(payment_ref=str(payment.external_id))
    return payments.start_checkout(payment=payment, method=method,
                                   return_url=f"/me/bookings/{booking.external_id}/")


def _payment(payment_ref: str):
    from yiyun.payments.models import Payment

    return Payment.objects.filter(external_id=payment_ref).first() if payment_ref else None


def refund_after_commit(*, booking: Booking, reason: str) -> None:
    """Queue a full refund of whatever this booking's payment captured (after the booking's commit)."""
    if not booking.payment_ref:
        return
    payment_ref, key = booking.payment_ref, f"booking-refund:{booking.external_id}"

    def run():
        from yiyun.payments import services as payments

        payment = _payment(payment_ref)
        if payment is None:
            return
        amount = payment.captured_fen - payment.refunded_fen
        if amount <= 0:
            payments.close_payment(payment=payment, reason=reason)  # not captured: nothing will be taken
            return
        try:
            payments.refund(payment=payment, amount_fen=amount, reason=reason, idempotency_key=key)
        except DomainError:
            logger.exception("refund of booking payment %s refused; reconcile will show it", payment_ref)

    transaction.on_commit(run)


def close_after_commit(*, booking: Booking, reason: str) -> None:
    if not booking.payment_ref:
        return
    payment_ref = booking.payment_ref

    def run():
        from yiyun.payments import services as payments

        payment = _payment(payment_ref)
        if payment is not None:
            payments.close_payment(payment=payment, reason=reason)

    transaction.on_commit(run)


def sync_before_expiry(*, payment_ref: str) -> None:
    """Ask the gateway first: a fee paid at the last second confirms the booking instead of losing it."""
    from yiyun.payments import services as payments

    payment = _payment(payment_ref)
    if payment is not None:
        try:
            payments.query_and_sync(payment=payment)
        except DomainError:
            logger.warning("could not sync payment %s before its hold expired", payment_ref)


class BookingPayable:
    """The registry handler for order type "booking"."""

    def on_paid(self, payment) -> bool:
        from yiyun.booking.services import confirm_paid

        return confirm_paid(booking_external_id=payment.order_id, payment_ref=str(payment.external_id))

    def on_refunded(self, refund) -> None:
        from yiyun.notifications.models import Kind
        from yiyun.notifications.services import notify

        payment = refund.payment
        notify(account=payment.account, kind=Kind.REFUND, title="退款已到账",
               body=f"{payment.subject}：已退款{refund.amount_fen / 100:.2f}元，原路返回。",
               link=f"/me/bookings/{payment.order_id}/")


PAYABLE = BookingPayable()
