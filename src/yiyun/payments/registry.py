"""Which order types can be paid for, and who is told when their money moves.

An order app registers once, in its AppConfig.ready():

    registry.register("booking", BookingPayments())

The handler's two methods are called by the payments service inside the transaction that records the
money (the payment row is locked first; lock your order row after it, never before):

- `on_paid(payment) -> bool`: the capture of `payment` is being recorded. Return True if the order takes
  the money (e.g. confirm the booking), False if it no longer can (the hold expired, the order was cancelled):
  the payments service then refunds in full automatically. Raising rolls the capture back; the gateway
  retries the notification later.
- `on_refunded(refund) -> None`: a refund of the order's money reached the customer (status succeeded).
  `refund.kind` is "automatic" for the refunds the payments service made on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from yiyun.payments.models import Payment, Refund


class OrderHandler(Protocol):
    def on_paid(self, payment: Payment) -> bool: ...

    def on_refunded(self, refund: Refund) -> None: ...


_handlers: dict[str, OrderHandler] = {}


def register(order_type: str, handler: OrderHandler) -> None:
    """Register the handler of an order type. Registering the same handler again is harmless; a different
    handler for a taken order type is refused (two apps must not claim the same orders)."""
    current = _handlers.get(order_type)
    if current is not None and current is not handler:
        raise ValueError(f"order type {order_type!r} is already registered")
    _handlers[order_type] = handler


def unregister(order_type: str) -> None:
    _handlers.pop(order_type, None)


def handler_for(order_type: str) -> OrderHandler | None:
    return _handlers.get(order_type)


def is_registered(order_type: str) -> bool:
    return order_type in _handlers
