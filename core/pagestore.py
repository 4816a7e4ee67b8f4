"""
Where the page cache keeps its pages: the shared cache, indexed by tag.

Each stored page names the tags of what it shows. A purge of a tag moves the
pages that name it aside, so a hit is one read (the page, the ``site``
version and the purge counter, in one round trip) and never checks the
tags' versions one by one. Every purge also stamps its tags with the next
number of a purge counter: a page whose render began before a purge of one
of its tags is not stored (it may show what the purge was about).

A purged page is not deleted but kept as the page's previous copy, for
``PAGE_CACHE_STALE_SECONDS``: when the page cannot be rendered again because
the database is unreachable, that copy is served, marked stale.

With Redis (django-redis), the index is a Redis set per tag and storing and
purging are Lua scripts, atomic however many app servers write at once. Any
other cache backend (the local-memory cache of development and tests) gets
the same logic through Django's cache API, which is right for one process.
"""

import pickle

from django.conf import settings
from django.core.cache import cache

SITE_KEY = "pagecache:site"
SEQ_KEY = "pagecache:seq"
# A purge's stamp on its tags outlives any render that began before it.
PURGED_SECONDS = 60 * 60


def _page(digest):
    return f"pagecache:page:{digest}"


def _stale(digest):
    return f"pagecache:stale:{digest}"


def _index(tag):
    return f"pagecache:tag:{tag}"


def _purged(tag):
    return f"pagecache:purged:{tag}"


def _stale_seconds():
    return max(settings.PAGE_CACHE_STALE_SECONDS, 1)


class CacheStore:
    """Through Django's cache API: atomic within one process only."""

    def lookup(self, digest):
        """(stored page or None, site version or None, purge counter)."""
        found = cache.get_many([_page(digest), SITE_KEY, SEQ_KEY])
        return found.get(_page(digest)), found.get(SITE_KEY), found.get(SEQ_KEY, 0)

    def previous(self, digest):
        return cache.get(_stale(digest))

    def site(self):
        return cache.get(SITE_KEY)

    def set_site(self, version):
        cache.set(SITE_KEY, version, None)

    def add_site(self, version):
        cache.add(SITE_KEY, version, None)
        return cache.get(SITE_KEY)

    def store(self, digest, entry, tags, seq):
        purged = cache.get_many([_purged(tag) for tag in tags])
        if any(stamp > seq for stamp in purged.values()):
            return False
        cache.set(_page(digest), entry, settings.PAGE_CACHE_SECONDS)
        for tag in tags:
            index = cache.get(_index(tag), set())
            index.add(digest)
            cache.set(_index(tag), index, settings.PAGE_CACHE_SECONDS)
        return True

    def purge(self, tags):
        try:
            seq = cache.incr(SEQ_KEY)
        except ValueError:  # the first purge (or a cache that keeps nothing)
            cache.add(SEQ_KEY, 1, None)
            seq = cache.get(SEQ_KEY, 1)
        cache.set_many({_purged(tag): seq for tag in tags}, PURGED_SECONDS)
        moved = 0
        for tag in tags:
            for digest in cache.get(_index(tag), ()):
                entry = cache.get(_page(digest))
                if entry is not None:
                    cache.set(_stale(digest), entry, _stale_seconds())
                    cache.delete(_page(digest))
                    moved += 1
            cache.delete(_index(tag))
        return moved


# KEYS: the page, then each tag's purge stamp, then each tag's index.
# ARGV: the purge counter read before the render, the page's lifetime, the
# pickled page, its digest, the number of tags.
STORE_SCRIPT = """
local seq = tonumber(ARGV[1])
local n = tonumber(ARGV[5])
for i = 1, n do
  local stamp = redis.call('GET', KEYS[1 + i])
  if stamp and tonumber(stamp) > seq then return 0 end
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
for i = 1, n do
  redis.call('SADD', KEYS[1 + n + i], ARGV[4])
  redis.call('EXPIRE', KEYS[1 + n + i], ARGV[2])
end
return 1
"""

# KEYS: the purge counter, then each tag's purge stamp, then each tag's index.
# ARGV: the number of tags, the stamps' lifetime, the stale copies' lifetime,
# the page keys' prefix, the stale copies' prefix.
PURGE_SCRIPT = """
local n = tonumber(ARGV[1])
local seq = redis.call('INCR', KEYS[1])
local moved = 0
for i = 1, n do
  redis.call('SET', KEYS[1 + i], seq, 'EX', ARGV[2])
  for _, digest in ipairs(redis.call('SMEMBERS', KEYS[1 + n + i])) do
    local page = ARGV[4] .. digest
    if redis.call('EXISTS', page) == 1 then
      local stale = ARGV[5] .. digest
      redis.call('RENAME', page, stale)
      redis.call('EXPIRE', stale, ARGV[3])
      moved = moved + 1
    end
  end
  redis.call('DEL', KEYS[1 + n + i])
end
return moved
"""


class RedisStore:
    """Redis through django-redis's connection, with its key prefix; pages pickled."""

    def __init__(self):
        from django_redis import get_redis_connection

        self.client = get_redis_connection("default")

    def key(self, name):
        return cache.make_key(name)

    def lookup(self, digest):
        page, site, seq = self.client.mget(
            [self.key(_page(digest)), self.key(SITE_KEY), self.key(SEQ_KEY)]
        )
        return (
            pickle.loads(page) if page is not None else None,
            pickle.loads(site) if site is not None else None,
            int(seq or 0),
        )

    def previous(self, digest):
        entry = self.client.get(self.key(_stale(digest)))
        return pickle.loads(entry) if entry is not None else None

    def site(self):
        site = self.client.get(self.key(SITE_KEY))
        return pickle.loads(site) if site is not None else None

    def set_site(self, version):
        self.client.set(self.key(SITE_KEY), pickle.dumps(version))

    def add_site(self, version):
        self.client.set(self.key(SITE_KEY), pickle.dumps(version), nx=True)
        return pickle.loads(self.client.get(self.key(SITE_KEY)))

    def store(self, digest, entry, tags, seq):
        tags = sorted(tags)
        keys = [
            self.key(_page(digest)),
            *(self.key(_purged(tag)) for tag in tags),
            *(self.key(_index(tag)) for tag in tags),
        ]
        args = [seq, settings.PAGE_CACHE_SECONDS, pickle.dumps(entry), digest, len(tags)]
        return bool(self.client.register_script(STORE_SCRIPT)(keys, args))

    def purge(self, tags):
        tags = sorted(tags)
        keys = [
            self.key(SEQ_KEY),
            *(self.key(_purged(tag)) for tag in tags),
            *(self.key(_index(tag)) for tag in tags),
        ]
        args = [
            len(tags),
            PURGED_SECONDS,
            _stale_seconds(),
            self.key(_page("")),
            self.key(_stale("")),
        ]
        return self.client.register_script(PURGE_SCRIPT)(keys, args)


def store():
    """The store for the configured cache."""
    try:
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is in the lock
        return CacheStore()
    return RedisStore() if isinstance(cache, RedisCache) else CacheStore()
