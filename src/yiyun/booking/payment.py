"""Booking's side of payments: a held booking's fee is paid through the payments app, which tells us
(`BookingPayable.on_paid`) when the money arrives; a late arrival after the hold was released is refused
here and refunded there."""

from __future__ import annotations

from yiyun.audit.services import AccessContext
from yiyun.booking.errors import InvalidTransition
from yiyun.booking.models import Booking
from yiyun.booking.states import Status

ORDER_TYPE = "booking"


def _subject(booking: Booking) -> str:
    return f"{booking.hospital.name} {booking.department.name} {booking.doctor.name} 挂号费"[:120]


def start_payment(*, ctx: AccessContext, booking_id, method: str = "redirect"):
    """Open (or reuse) the payment of a held booking and return the gateway checkout."""
    from django.db import transaction

    from yiyun.booking.selectors import access_booking
    from yiyun.payments import services as payments

    booking = access_booking(ctx=ctx, external_id=booking_id)
    if booking.status != Status.HELD or booking.fee_fen <= 0:
        raise InvalidTransition("该预约无需支付或已超时", "Nothing to pay for this booking", code="nothing_to_pay")
    with transaction.atomic():
        payment = payments.create_payment(
            order_type=ORDER_TYPE, order_id=str(booking.external_id), account=booking.account,
            amount_fen=booking.fee_fen, subject=_subject(booking), expires_at=booking.hold_expires_at,
            idempotency_key=f"booking:{booking.external_id}")
        Booking.objects.filter(pk=booking.pk, payment_ref="").update(payment_ref=str(payment.external_id))
    return payments.start_checkout(payment=payment, method=method)


def _payment_of(booking: Booking):
    from yiyun.payments.models import Payment

    return Payment.objects.filter(external_id=booking.payment_ref).first() if booking.payment_ref else None


def refund_booking(*, booking: Booking, reason: str) -> None:
    from yiyun.payments import services as payments

    payment = _payment_of(booking)
    if payment is not None and payments.refundable_fen(payment=payment) > 0:
        payments.refund(payment=payment, amount_fen=payments.refundable_fen(payment=payment), reason=reason,
                        idempotency_key=f"booking-refund:{booking.external_id}")


def close_booking_payment(*, booking: Booking) -> None:
    from yiyun.payments import services as payments

    payment = _payment_of(booking)
    if payment is not None:
        payments.close_payment(payment=payment)


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
               body=f"{payment.subject}：已退款{refund.amount_fen / 100:.2f}元，原路返回。")
