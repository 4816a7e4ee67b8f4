import functools
import os

from django.http import HttpResponse
from django.urls import path

# A stored page the size of the review page's Brotli body, and the two tag
# versions a page-cache hit reads with it.
STORED_PAGE = ("bench:hello:page", "bench:hello:site", "bench:hello:review")


def hello(request):
    return HttpResponse("Hello, world")


@functools.cache
def redis_client():
    """One client for the process, holding the stored page."""
    import redis

    client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
    client.mset({STORED_PAGE[0]: os.urandom(5000), STORED_PAGE[1]: b"v1", STORED_PAGE[2]: b"v2"})
    return client


def hello_after_a_redis_read(request):
    """
    The hello-world that first reads what a page-cache hit reads from Redis: one
    MGET of a 5 kB page and two versions. No page cache that asks Redis on
    every request can serve faster than this.
    """
    redis_client().mget(STORED_PAGE)
    return HttpResponse("Hello, world")


urlpatterns = [path("", hello), path("redis-read/", hello_after_a_redis_read)]
