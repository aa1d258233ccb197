"""Arrays derived once and kept in the user's cache folder (`broadsheet.cache.cached_arrays`)."""
from __future__ import annotations

import logging

import numpy as np

from broadsheet.cache import cache_root, cached_arrays


def _arrays() -> dict[str, np.ndarray]:
    return {"words": np.array(["赣州", "济宁"]), "counts": np.array([697, 1200]), "total": np.array(60)}


def _counting_build(calls: list[int]):
    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return _arrays()
    return build


def test_arrays_are_built_once_then_read_from_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    calls: list[int] = []
    first = cached_arrays("demo-1", _counting_build(calls))
    second = cached_arrays("demo-1", _counting_build(calls))
    assert calls == [1]
    assert (cache_root() / "arrays" / "demo-1" / "words.npy").is_file()
    for key, want in _arrays().items():
        assert type(second[key]) is np.ndarray  # a plain view of the map, not np.memmap
        assert second[key].dtype == want.dtype and np.array_equal(second[key], want)
        assert np.array_equal(first[key], want)
    assert not second["counts"].flags.writeable  # read-only map: a cached table cannot be changed
    assert [p.name for p in (cache_root() / "arrays").iterdir()] == ["demo-1"]  # no temporary folder left


def test_another_name_builds_again(monkeypatch, tmp_path):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    calls: list[int] = []
    cached_arrays("demo-1", _counting_build(calls))
    cached_arrays("demo-2", _counting_build(calls))
    assert calls == [1, 1]


def test_unwritable_cache_computes_in_memory_with_one_log_line(monkeypatch, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("BROADSHEET_CACHE", str(blocker))
    calls: list[int] = []
    with caplog.at_level(logging.INFO, logger="broadsheet"):
        got = cached_arrays("demo-1", _counting_build(calls))
    assert calls == [1]
    assert np.array_equal(got["counts"], [697, 1200])
    assert len(caplog.records) == 1 and "not-a-folder" in caplog.records[0].getMessage()


def test_a_damaged_cache_is_built_again(monkeypatch, tmp_path):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    folder = cache_root() / "arrays" / "demo-1"
    folder.mkdir(parents=True)
    (folder / "counts.npy").write_bytes(b"\x93NUMPY truncated")
    calls: list[int] = []
    got = cached_arrays("demo-1", _counting_build(calls))
    assert calls == [1]
    assert np.array_equal(got["counts"], [697, 1200])
    again = cached_arrays("demo-1", _counting_build(calls))  # replaced by the good arrays
    assert calls == [1] and np.array_equal(again["counts"], [697, 1200])


def test_a_folder_another_process_stored_first_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    calls: list[int] = []

    def build_while_another_stores() -> dict[str, np.ndarray]:
        cached_arrays("demo-1", _counting_build(calls))  # the other process finishes first
        return _arrays()

    got = cached_arrays("demo-1", build_while_another_stores)
    assert calls == [1]
    assert np.array_equal(got["words"], _arrays()["words"])
    assert [p.name for p in (cache_root() / "arrays").iterdir()] == ["demo-1"]
