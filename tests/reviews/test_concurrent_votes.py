"""
Votes arriving at once must not lose updates to Review's counters. Runs on
PostgreSQL (make test-postgres); SQLite serialises writers, so it is skipped there.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from reviews.models import Like, Rating, Review
from reviews.reader_actions import READER_COOKIE, READER_COOKIE_SALT
from tests.factories import make_review

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"),
]

WORKERS = 16


def as_reader(n):
    """A client carrying reader n's signed cookie, as a returning browser would."""
    from django.core.signing import get_cookie_signer

    # Readers each on an address of their own, so the per-address limit stays out of it.
    client = Client(REMOTE_ADDR=f"198.51.{n // 250}.{n % 250 + 1}")
    signer = get_cookie_signer(salt=READER_COOKIE + READER_COOKIE_SALT)
    client.cookies[READER_COOKIE] = signer.sign(f"{n:032x}")
    return client


def in_parallel(calls):
    def run(call):
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, calls))


def test_200_concurrent_votes_keep_the_aggregate_exact():
    review = make_review()
    url = f"{review.get_absolute_url()}rating/"
    # 150 readers vote; 50 of them vote a second time at the same moment.
    votes = [(n, str((n % 10 + 1) / 2)) for n in range(150)]
    votes += [(n, str(((n + 3) % 10 + 1) / 2)) for n in range(50)]
    responses = in_parallel(
        [lambda n=n, v=v: as_reader(n).post(url, {"value": v}).status_code for n, v in votes]
    )
    assert responses == [302] * 200
    review = Review.objects.get(pk=review.pk)
    rows = list(Rating.objects.filter(review=review))
    assert len(rows) == 150 == review.rating_count
    assert review.rating_total == sum(int(row.value * 2) for row in rows)


def test_concurrent_likes_count_each_reader_once():
    review = make_review()
    url = f"{review.get_absolute_url()}like/"
    readers = list(range(60)) + list(range(40))  # 40 readers press twice at once
    in_parallel([lambda n=n: as_reader(n).post(url, {"action": "like"}) for n in readers])
    review = Review.objects.get(pk=review.pk)
    assert review.like_count == 60 == Like.objects.filter(review=review).count()
