"""API tokens are resolved from a per-process cache for API_TOKEN_CACHE_SECONDS: revocation in this
process is immediate, elsewhere it takes at most that long; an expired token is never served."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_user
from yiyun.accounts import selectors
from yiyun.accounts.models import ApiToken, User
from yiyun.accounts.services import issue_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.forget_all_tokens()
    yield
    selectors.forget_all_tokens()


def test_a_token_resolves_to_its_user_with_the_fields_an_api_call_needs(monkeypatch):
    user = make_user(display_name="王小明")
    raw = issue_api_token(user=user)
    loads = []
    real_load = selectors._load
    monkeypatch.setattr(selectors, "_load", lambda *a: loads.append(a) or real_load(*a))
    first = selectors.user_for_token(raw)
    again = selectors.user_for_token(raw)
    assert len(loads) == 1  # the second came from the cache
    assert first.pk == again.pk == user.pk and first is not again  # a fresh instance each time
    assert (first.primary_role, str(first), first.is_authenticated) == (user.primary_role, "王小明", True)
    assert first.phone == user.phone  # decrypted like the ORM does
    assert selectors.user_for_token("yy_nope") is None and selectors.user_for_token("") is None


def test_revocation_is_immediate_in_this_process():
    raw = issue_api_token(user=make_user())
    assert selectors.user_for_token(raw) is not None
    revoke_api_token(raw=raw)
    assert selectors.user_for_token(raw) is None


def test_elsewhere_a_revoked_token_lives_at_most_the_cache_ttl(monkeypatch):
    raw = issue_api_token(user=make_user())
    assert selectors.user_for_token(raw) is not None
    # revoked by another process: this one's cache does not know yet
    ApiToken.objects.update(revoked_at=timezone.now())
    assert selectors.user_for_token(raw) is not None
    later = selectors._tokens.ttl + 0.1
    import time

    real = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + later)
    assert selectors.user_for_token(raw) is None


def test_an_expired_token_is_never_served_from_the_cache(monkeypatch):
    raw = issue_api_token(user=make_user())
    assert selectors.user_for_token(raw) is not None
    expiry = ApiToken.objects.get().expires_at
    monkeypatch.setattr(timezone, "now", lambda: expiry + dt.timedelta(seconds=1))
    assert selectors.user_for_token(raw) is None


def test_a_deactivated_account_is_refused_once_the_cache_lapses(monkeypatch):
    user = make_user()
    raw = issue_api_token(user=user)
    assert selectors.user_for_token(raw) is not None
    User.objects.filter(pk=user.pk).update(is_active=False)
    selectors.forget_token(raw)
    assert selectors.user_for_token(raw) is None
