"""The allowed moves, written once in yiyun.payments.states, and the services holding to them."""

import pytest

from yiyun.payments.states import (
    PAYMENT_TRANSITIONS,
    REFUND_TRANSITIONS,
    IllegalTransition,
    PaymentStatus,
    RefundStatus,
    move_payment,
    move_refund,
)

P, R = PaymentStatus, RefundStatus


class Row:
    def __init__(self, status):
        self.status = status


def test_every_status_has_a_row_and_the_moves_are_the_documented_ones():
    assert set(PAYMENT_TRANSITIONS) == set(P.values) and set(REFUND_TRANSITIONS) == set(R.values)
    allowed = {(a, b) for a, targets in PAYMENT_TRANSITIONS.items() for b in targets}
    assert allowed == {
        (P.CREATED, P.PENDING), (P.CREATED, P.CLOSED), (P.CREATED, P.SUCCEEDED),
        (P.PENDING, P.SUCCEEDED), (P.PENDING, P.CLOSED),
        (P.SUCCEEDED, P.PARTIALLY_REFUNDED), (P.SUCCEEDED, P.REFUNDED),
        (P.PARTIALLY_REFUNDED, P.PARTIALLY_REFUNDED), (P.PARTIALLY_REFUNDED, P.REFUNDED),
        (P.CLOSED, P.SUCCEEDED),
    }
    assert {(a, b) for a, targets in REFUND_TRANSITIONS.items() for b in targets} == {
        (R.REQUESTED, R.SUCCEEDED), (R.REQUESTED, R.FAILED)}


@pytest.mark.parametrize("current,new", [
    (P.REFUNDED, P.SUCCEEDED), (P.CLOSED, P.PENDING), (P.SUCCEEDED, P.CLOSED), (P.SUCCEEDED, P.PENDING),
    (P.PENDING, P.CREATED), (P.CREATED, P.REFUNDED),
])
def test_moves_not_in_the_table_are_refused_and_leave_the_status(current, new):
    row = Row(current)
    with pytest.raises(IllegalTransition):
        move_payment(row, new)
    assert row.status == current


def test_settled_refunds_never_move_again():
    for settled in (R.SUCCEEDED, R.FAILED):
        row = Row(settled)
        for new in R.values:
            with pytest.raises(IllegalTransition):
                move_refund(row, new)
    row = Row(R.REQUESTED)
    move_refund(row, R.SUCCEEDED)
    assert row.status == R.SUCCEEDED
