"""Where a request came from, for access logs and per-IP limits."""

from django.conf import settings


def client_ip(request) -> str:
    """The peer address, or the address our own reverse proxies put in X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return remote
