"""“谁看过我的记录”: the access history of the patients this account manages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from yiyun.audit.selectors import access_history_for_account


@login_required
def my_access_log(request):
    others_only = request.GET.get("others") == "1"
    rows = access_history_for_account(user=request.user, others_only=others_only)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "audit/my_log.html", {"page": page, "others_only": others_only, "nav": "mine"})
