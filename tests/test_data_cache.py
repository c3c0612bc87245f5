"""The precompiled bundle of shipped data matches the YAML it was built from."""
from __future__ import annotations

import os
import pickle

import pytest

from erdesign import data


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ERDESIGN_CACHE_DIR", str(tmp_path / "erdesign"))
    monkeypatch.delenv("ERDESIGN_NO_DATA_CACHE", raising=False)
    data.bundle.cache_clear()
    yield tmp_path / "erdesign"
    data.bundle.cache_clear()


def test_bundle_equals_the_yaml_of_every_shipped_file(fresh_cache):
    paths = data.shipped_files()
    assert paths and any(p.name == "route_limits.yaml" for p in paths)
    built = data.bundle()
    assert (fresh_cache / f"data-{data.fingerprint(paths)}.pickle").is_file()
    data.bundle.cache_clear()
    reread = data.bundle()  # now from the cached file
    assert reread == built == data.parse_all(paths)


def test_an_edited_file_changes_the_fingerprint(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text("a: 1\n")
    before = data.fingerprint([f])
    f.write_text("a: 22\n")
    assert data.fingerprint([f]) != before


def test_a_bundle_others_can_write_is_not_read(fresh_cache):
    paths = data.shipped_files()
    target = fresh_cache / f"data-{data.fingerprint(paths)}.pickle"
    fresh_cache.mkdir(parents=True)
    target.write_bytes(pickle.dumps({str(paths[0]): {"tampered": True}}))
    os.chmod(target, 0o666)
    assert not data.own_private_file(target)
    assert data.bundle()[str(paths[0])] != {"tampered": True}


def test_no_cache_when_switched_off(fresh_cache, monkeypatch):
    monkeypatch.setenv("ERDESIGN_NO_DATA_CACHE", "1")
    assert data.bundle() == {}
    assert not fresh_cache.exists()
