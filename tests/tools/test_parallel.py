import argparse
import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("parallel", Path(__file__).resolve().parents[2] / "tools" / "parallel.py")
parallel = importlib.util.module_from_spec(spec)
spec.loader.exec_module(parallel)


def test_split_is_balanced_longest_first():
    durations = {"a": 5.0, "b": 4.0, "c": 3.0, "d": 3.0, "e": 1.0}
    bins = parallel.split(list(durations), 2, durations)
    loads = sorted(sum(durations[k] for k in b) for b in bins)
    assert loads == [8.0, 8.0]


def test_split_is_deterministic_and_covers_every_key_once():
    keys = [f"s{i}" for i in range(17)]
    durations = {k: (i % 5) + 0.5 for i, k in enumerate(keys)}
    first = parallel.split(keys, 3, durations)
    assert first == parallel.split(list(reversed(keys)), 3, durations)
    assert sorted(k for b in first for k in b) == sorted(keys)


def test_unknown_durations_count_as_the_median():
    bins = parallel.split(["new1", "new2", "old"], 2, {"old": 2.0})
    assert sorted(len(b) for b in bins) == [1, 2]


def test_shards_are_disjoint_and_complete():
    keys = [f"s{i}" for i in range(10)]
    shards = [parallel.split(keys, 3, {})[i] for i in range(3)]
    assert sorted(k for s in shards for k in s) == keys


@pytest.mark.parametrize("text, expected", [("1/3", (1, 3)), ("3/3", (3, 3))])
def test_shard_argument(text, expected):
    assert parallel.parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "2"])
def test_bad_shard_argument(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parallel.parse_shard(text)


def test_progress_is_read_from_a_workers_console_log():
    log = ("portal-spec: database: ...\n" + "." * 70 + "  70\n" + "..F.s.E" + "\n")
    assert parallel.progress_of(log) == (77, 2)
    finished = log.rstrip("\n") + " " * 63 + "  77\n\nSpecification summary\n  API  29 scenarios\n"
    assert parallel.progress_of(finished) == (77, 2)
    assert parallel.progress_of("portal-spec: database: ...\n") == (0, 0)
    assert parallel.progress_of("Traceback (most recent call last):\n") == (0, 0)
