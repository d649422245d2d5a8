"""Booking's domain errors (status, stable code, Chinese and English message)."""

from __future__ import annotations

from yiyun.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed


class WindowFull(Conflict):
    code = "window_full"
    message = "该时段已约满，可加入候补"
    message_en = "This window is fully booked; you can join its waitlist"

    def __init__(self, window_external_id: str):
        super().__init__(actions=[{"kind": "join_waitlist", "method": "POST", "url": "/api/v1/waitlist",
                                   "body": {"window_id": window_external_id}}])


class NotReleased(Conflict):
    code = "not_released"
    message = "该号源尚未开放预约"
    message_en = "These numbers are not released yet"


class WindowClosed(Conflict):
    code = "window_closed"
    message = "该时段已过，不能预约"
    message_en = "This window has passed"


class SessionStopped(Conflict):
    code = "session_stopped"
    message = "该医生本次出诊已停诊"
    message_en = "This session has been cancelled by the hospital"


class DuplicateBooking(Conflict):
    code = "duplicate_booking"
    message = "该就诊人当天已预约过这位医生"
    message_en = "This patient already has a booking with this doctor that day"


class BookingLimit(Conflict):
    code = "booking_limit"


class NotEligible(ValidationFailed):
    code = "not_eligible"


class Suspended(PermissionDenied):
    code = "booking_suspended"
    message = "因多次爽约，线上预约已暂停"
    message_en = "Online booking is suspended after repeated no-shows"


class InvalidTransition(Conflict):
    code = "invalid_state"
    message = "当前状态不能进行该操作"
    message_en = "Not possible in the booking's current state"


class CancelTooLate(Conflict):
    code = "cancel_deadline_passed"
    message = "已过退号截止时间，请联系医院"
    message_en = "The cancellation deadline has passed; please contact the hospital"


class BookingNotFound(NotFound):
    code = "booking_not_found"
    message = "未找到该预约"
    message_en = "Booking not found"


class WindowNotFound(NotFound):
    code = "window_not_found"
    message = "未找到该号源时段"
    message_en = "Window not found"


class NotVerified(DomainError):
    status = 403
    code = "patient_not_verified"
    message = "请先完成就诊人实名认证"
    message_en = "The patient must be verified by real name first"
