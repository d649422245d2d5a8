from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiyun.notifications import selectors, services


@login_required
def inbox_page(request):
    page = Paginator(selectors.inbox(account=request.user), 20).get_page(request.GET.get("page"))
    response = render(request, "notifications/inbox.html", {"page": page, "nav": "mine"})
    return response


@require_POST
@login_required
def read_all(request):
    services.mark_all_read(account=request.user)
    return redirect("notifications:inbox")
