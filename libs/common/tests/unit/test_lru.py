import time

from common.lru import ExpiringLru


def test_the_least_recently_used_entry_goes_first_when_full() -> None:
    lru: ExpiringLru[str, int] = ExpiringLru(2)
    later = time.time() + 60
    lru.put("a", 1, later)
    lru.put("b", 2, later)
    assert lru.get("a") == 1  # "b" is now the least recently used
    lru.put("c", 3, later)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (1, None, 3)
    assert len(lru) == 2


def test_an_entry_ends_at_its_own_moment() -> None:
    lru: ExpiringLru[str, int] = ExpiringLru(10)
    lru.put("ended", 1, time.time() - 1)
    lru.put("soon", 2, time.time() + 0.05)
    lru.put("kept", 3, time.time() + 60)
    assert lru.get("ended") is None
    assert lru.get("soon") == 2
    time.sleep(0.1)
    assert (lru.get("soon"), lru.get("kept")) == (None, 3)


def test_discard_and_a_map_of_no_entries() -> None:
    lru: ExpiringLru[str, int] = ExpiringLru(10)
    lru.put("a", 1, time.time() + 60)
    lru.discard("a")
    lru.discard("never there")
    assert lru.get("a") is None
    empty: ExpiringLru[str, int] = ExpiringLru(0)
    empty.put("a", 1, time.time() + 60)
    assert (empty.get("a"), len(empty)) == (None, 0)
