"""Operator pages: the day's sessions, 临时加诊, 停诊 (one session or a doctor's days) and 替诊 with their
consequences spelled out, a hospital's booking and release rules, its weekly templates (add, retire) and generating
sessions from them. Visit types and fees are edited in the back-office."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiyun.booking.states import ACTIVE
from yiyun.catalog.models import Doctor
from yiyun.core.errors import DomainError
from yiyun.core.forms import add_domain_error, message_for, parse_date
from yiyun.scheduling import selectors, services
from yiyun.scheduling.forms import AddSessionForm, BookingPolicyForm, ScheduleTemplateForm
from yiyun.scheduling.models import BookingPolicy


def _day(request) -> dt.date:
    return parse_date(request.GET.get("date")) or timezone.localdate()


@login_required
def sessions_page(request):
    day = _day(request)
    sessions = selectors.sessions_for_day(user=request.user, day=day)
    policies = selectors.restrict(BookingPolicy.objects.all(), request.user)
    return render(request, "scheduling/sessions.html", {
        "day": day, "sessions": sessions, "prev": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "policies": policies.select_related("hospital"), "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def add_session_page(request):
    """临时加诊: a session outside the weekly templates."""
    hospital = selectors.operated_hospital(user=request.user, hospital_id=request.GET.get("hospital"))
    form = AddSessionForm(request.POST or None, hospital=hospital, initial={"date": _day(request)})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.add_session(**form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已加诊：%(doctor)s %(day)s %(period)s，号源按放号规则开放。") % {
                "doctor": session.doctor.name, "day": f"{session.date:%Y-%m-%d}", "period": session.get_period_display()})
            return redirect(f"{reverse('scheduling:sessions')}?date={session.date:%Y-%m-%d}")
    return render(request, "scheduling/form_page.html", {
        "hospital": hospital, "hospitals": selectors.operated_hospitals(user=request.user), "form": form,
        "title": _("临时加诊"), "submit": _("加诊并发布号源"),
        "cancel": reverse("scheduling:sessions"), "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def stop_page(request, session_id):
    session = selectors.operated_session(user=request.user, external_id=session_id)
    affected = session.bookings.filter(status__in=ACTIVE).count()
    if request.method == "POST":
        try:
            cancelled = services.stop_session(session=session, reason=request.POST.get("reason", ""),
                                              actor=request.user)
        except DomainError as error:
            messages.error(request, message_for(error))
        else:
            messages.success(request, _("已停诊，%(n)s个预约已取消、退款并通知患者。") % {"n": cancelled})
            return redirect(f"/ops/sessions/?date={session.date:%Y-%m-%d}")
    return render(request, "scheduling/stop.html", {"session": session, "affected": affected, "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def leave_page(request, doctor_id):
    """停诊多天: every session of one doctor over a range of days, with what it will cancel shown first."""
    doctor = selectors.operated_doctor(user=request.user, doctor_id=doctor_id)
    data = request.POST if request.method == "POST" else request.GET
    first = parse_date(data.get("first")) or timezone.localdate()
    last = parse_date(data.get("last")) or first
    if request.method == "POST":
        try:
            stopped, cancelled = services.stop_doctor_between(doctor=doctor, first_day=first, last_day=last,
                                                              reason=request.POST.get("reason", ""),
                                                              actor=request.user)
        except DomainError as error:
            messages.error(request, message_for(error))
        else:
            messages.success(request, _("已停诊%(s)s个出诊，%(n)s个预约已取消、退款并通知患者。") % {"s": stopped, "n": cancelled})
            return redirect(f"{reverse('scheduling:sessions')}?date={first:%Y-%m-%d}")
    sessions = list(selectors.leave_preview(doctor=doctor, first_day=first, last_day=max(first, last)))
    return render(request, "scheduling/leave.html", {
        "doctor": doctor, "first": first, "last": last, "sessions": sessions,
        "affected": sum(s.booked for s in sessions), "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def substitute_page(request, session_id):
    session = selectors.operated_session(user=request.user, external_id=session_id)
    candidates = (Doctor.objects.filter(hospital_id=session.hospital_id, departments=session.department,
                                        is_active=True).exclude(pk=session.doctor_id).order_by("name"))
    if request.method == "POST":
        doctor = candidates.filter(external_id=request.POST.get("doctor_id") or None).first()
        try:
            if doctor is None:
                raise services.ValidationFailed.field("doctor", "请选择替诊医生", "Choose the substitute",
                                                      code="doctor_required")
            services.substitute_doctor(session=session, doctor=doctor, reason=request.POST.get("reason", ""),
                                       actor=request.user)
        except DomainError as error:
            messages.error(request, message_for(error))
        else:
            messages.success(request, _("已安排替诊，已预约的患者会收到通知。"))
            return redirect(f"/ops/sessions/?date={session.date:%Y-%m-%d}")
    return render(request, "scheduling/substitute.html", {"session": session, "candidates": candidates,
                                                          "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request, hospital_id):
    """预约与放号规则 of one hospital; saving moves the release of sessions published but not yet released."""
    policy = selectors.operated_policy(user=request.user, hospital_id=hospital_id)
    form = BookingPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_booking_policy(policy=form.instance)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("规则已保存。%(r)s个尚未放号的出诊已按新规则调整放号时间，新生成%(c)s个出诊。")
                             % {"r": saved.restamped, "c": saved.created})
            return redirect("scheduling:sessions")
    return render(request, "scheduling/rules.html", {"policy": policy, "form": form, "nav": "mine"})


@login_required
@require_GET
def templates_page(request):
    """排班模板 of one hospital as a week: per department, each doctor's weekday and period."""
    hospital = selectors.operated_hospital(user=request.user, hospital_id=request.GET.get("hospital"))
    return render(request, "scheduling/templates.html", {
        "hospital": hospital, "hospitals": selectors.operated_hospitals(user=request.user),
        "templates": selectors.hospital_templates(hospital=hospital), "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def new_template_page(request):
    hospital = selectors.operated_hospital(user=request.user, hospital_id=request.GET.get("hospital"))
    form = ScheduleTemplateForm(request.POST or None, hospital=hospital)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.add_template(template=form.instance)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("排班模板已添加，已发布%(n)s个出诊。") % {"n": published})
            return redirect(f"{reverse('scheduling:templates')}?hospital={hospital.external_id}")
    return render(request, "scheduling/form_page.html", {
        "hospital": hospital, "hospitals": selectors.operated_hospitals(user=request.user), "form": form,
        "title": _("添加排班模板"), "submit": _("保存并发布出诊"),
        "cancel": f"{reverse('scheduling:templates')}?hospital={hospital.external_id}", "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def retire_template_page(request, template_id):
    template = selectors.operated_template(user=request.user, template_id=template_id)
    back = f"{reverse('scheduling:templates')}?hospital={template.hospital.external_id}"
    if request.method == "POST":
        withdrawn = services.retire_template(template=template)
        messages.success(request, _("已停用该排班模板，撤下%(n)s个尚无预约的出诊；已有预约的出诊保留，如需取消请逐个停诊。")
                         % {"n": withdrawn})
        return redirect(back)
    return render(request, "scheduling/retire_template.html", {
        "template": template, "preview": selectors.retirement_preview(template=template), "back": back,
        "nav": "mine"})


@login_required
@require_POST
def generate_page(request):
    allowed = selectors.require_operator(request.user)
    created = 0
    if allowed is None:
        created = services.generate_sessions()
    else:
        from yiyun.catalog.models import Hospital

        for hospital in Hospital.objects.filter(id__in=allowed):
            created += services.generate_sessions(hospital=hospital)
    messages.success(request, _("已按排班模板生成%(n)s个出诊。") % {"n": created})
    return redirect("scheduling:sessions")
