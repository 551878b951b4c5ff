"""Version tokens for cached reads: put a token in a cache key, and change the token to
forget every entry keyed with it at once.

A reader takes the token before it reads the database and stores what it read under a
key that includes the token. A writer calls `cache_version_bump` when the data changes,
now and again once its transaction commits: a reader that read the old rows before the
commit stored them under a token that nobody asks for any more, so no stale entry can
outlive the commit.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

# The page tree's token: changed whenever a page is published, unpublished, moved or
# deleted, or an image or document is saved or deleted (`modules.signal_handlers`). Cached
# HTML that shows pages (a lesson's navigation and body, the site's header and footer)
# keys on it.
PAGE_TREE_VERSION_KEY = "modules:page-tree-version"


def cache_version(key: str) -> str:
    """The current token under `key` (made on first use)."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add, not set: two requests that both missed agree on one version.
        if not cache.add(key, version, timeout=None):
            version = cache.get(key) or version
    return version


def cache_versions(*keys: str) -> str:
    """The tokens under `keys`, joined, in one round trip to the cache when all exist."""
    found = cache.get_many(keys)
    return ":".join(found.get(key) or cache_version(key) for key in keys)


def _bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def cache_version_bump(key: str) -> None:
    """Change the token under `key`, now and again after the current transaction commits
    (at once when there is none)."""
    _bump(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(key))
