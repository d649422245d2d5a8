"""The queue's domain errors (status, stable code, Chinese and English message)."""

from __future__ import annotations

from yiyun.core.errors import Conflict, NotFound, PermissionDenied


class CheckInNotOpen(Conflict):
    code = "checkin_not_open"
    message = "还未到签到时间"
    message_en = "Check-in has not opened yet"


class CheckInClosed(Conflict):
    code = "checkin_closed"
    message = "已过签到时间，请到分诊台咨询"
    message_en = "Check-in has closed; please ask at the triage desk"


class NotPaid(Conflict):
    code = "booking_not_paid"
    message = "请先支付挂号费再签到"
    message_en = "Please pay the registration fee before checking in"


class CheckInNotAllowed(Conflict):
    code = "checkin_not_allowed"
    message = "该预约当前状态不能签到"
    message_en = "This booking cannot be checked in in its current state"


class QueueEmpty(Conflict):
    code = "queue_empty"
    message = "当前没有候诊患者"
    message_en = "Nobody is waiting"


class CurrentNotFinished(Conflict):
    code = "current_not_finished"
    message = "请先完成或过号当前患者，再叫下一位"
    message_en = "Finish or skip the current patient before calling the next"


class EntryNotCalled(Conflict):
    code = "entry_not_called"
    message = "该患者当前未被叫号，不能进行此操作"
    message_en = "This patient is not being called"


class NotADoctor(PermissionDenied):
    code = "not_a_doctor"
    message = "仅医生账户可使用叫号"
    message_en = "Only doctor accounts can run a queue"


class SessionNotFound(NotFound):
    code = "session_not_found"
    message = "未找到该出诊"
    message_en = "Session not found"


class EntryNotFound(NotFound):
    code = "queue_entry_not_found"
    message = "未找到该候诊记录"
    message_en = "Queue entry not found"


class DepartmentNotFound(NotFound):
    code = "department_not_found"
    message = "未找到该科室"
    message_en = "Department not found"
