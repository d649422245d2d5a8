"""Pages answer a domain error with a friendly page carrying the same status (404 for a record the user
may not see, 429 with Retry-After, …). The JSON API has its own handlers (yiyun.core.apikit)."""

from django.shortcuts import render

from yiyun.core.errors import DomainError
from yiyun.core.forms import message_for


class DomainErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        response = render(request, "web/error.html", {"error": exception, "text": message_for(exception)},
                          status=exception.status)
        for name, value in exception.headers.items():
            response[name] = value
        return response
