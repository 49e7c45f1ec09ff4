"""Issue 11 (5): the public need form's rate limit holds under parallel posts and counts only
submissions that passed validation.

Before: the file cache (the default without Redis) read and wrote the counter without a
lock, and 11–12 of 40 parallel posts passed a limit of 10; invalid posts used up the limit.
"""

import multiprocessing

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse

from renkei.matching import throttle
from renkei.matching.models import Need

FORM = reverse("matching:need_new")
PARALLEL = 40
LIMIT = 10


def _post_from(address, barrier, results):
    request = RequestFactory().post(FORM, REMOTE_ADDR=address)
    barrier.wait()
    results.put(throttle.hit(request, "need_form", limit=LIMIT, window=3600))


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    yield caches["default"]
    caches["default"].clear()


def test_forty_parallel_posts_from_one_client_pass_a_limit_of_ten_exactly_ten_times(file_cache):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PARALLEL), context.Queue()
    workers = [
        context.Process(target=_post_from, args=("203.0.113.7", barrier, results))
        for _ in range(PARALLEL)
    ]
    for worker in workers:
        worker.start()
    passed = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert passed.count(True) == LIMIT
    assert passed.count(False) == PARALLEL - LIMIT


def test_the_counter_is_per_client(file_cache):
    one = RequestFactory().post(FORM, REMOTE_ADDR="203.0.113.8")
    other = RequestFactory().post(FORM, REMOTE_ADDR="203.0.113.9")
    assert all(throttle.hit(one, "t", limit=3, window=60) for _ in range(3))
    assert not throttle.hit(one, "t", limit=3, window=60)
    assert throttle.hit(other, "t", limit=3, window=60)


def test_only_submissions_that_passed_validation_count(client, need_form_data, settings):
    settings.RENKEI_NEED_FORM_LIMIT = 3
    for _ in range(5):  # invalid: no consent
        page = client.post(FORM, {**need_form_data, "consent": ""})
        assert page.status_code == 200
    accepted = [client.post(FORM, need_form_data).status_code for _ in range(3)]
    assert accepted == [302, 302, 302]
    refused = client.post(FORM, need_form_data)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert Need.objects.count() == 3
