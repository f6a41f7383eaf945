"""The small tables: ``[tm]`` (translation memory), ``[release]``, ``[cluster]`` and ``[readability]``."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from polyleaf.config.reader import Reader


@dataclass(frozen=True, slots=True)
class TmConfig:
    """Translation memory settings (``[tool.polyleaf.tm]``): the least similarity, in percent, of a reviewed
    sentence offered as a fuzzy suggestion (``polyleaf.catalog.fuzzy_memory``)."""

    min_similarity: float = 75.0


@dataclass(frozen=True, slots=True)
class ReleaseConfig:
    """Release build rules (``[tool.polyleaf.release]``)."""

    threshold: float = 100.0


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """A Dask cluster to run machine translation and rendering on (``[tool.polyleaf.cluster]``): ``scheduler`` is
    its scheduler's address (``tcp://host:8786``); empty: worker processes on this machine."""

    scheduler: str = ""


@dataclass(frozen=True, slots=True)
class ReadabilityConfig:
    """Plain-language checks of the English source (``[tool.polyleaf.readability]``), run by ``check`` before
    translation multiplies a hard sentence by every language. Warnings only: they never hold a release back.

    ``max_grade``: the highest Flesch–Kincaid grade a document may read at (patient leaflets aim at 6–8);
    ``max_sentence_grade`` the same for one sentence; ``max_sentence_words``: longer sentences are flagged;
    ``passive_voice``: hint at passive verbs; ``known_acronyms``: acronyms readers know without a spelled-out form.
    """

    enabled: bool = True
    max_grade: float = 8.0
    max_sentence_grade: float = 12.0
    max_sentence_words: int = 25
    passive_voice: bool = True
    known_acronyms: tuple[str, ...] = ()


#: The address schemes of the Dask communication layers a scheduler in another process can be reached by (``inproc``
#: is this process only; ``ucx`` needs a package Dask no longer provides).
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")


#: ``scheme://host:port``; the host a name, an IPv4 address or a bracketed IPv6 one.
_SCHEDULER_ADDRESS = re.compile(rf"(?:{'|'.join(SCHEDULER_SCHEMES)})://(?:[\w.-]+|\[[0-9A-Fa-f:.]+\]):(\d{{1,5}})")


def scheduler_problem(address: str) -> str:
    """What is wrong with ``address`` as a Dask scheduler's (empty: nothing). ``[cluster] scheduler`` and
    ``--scheduler`` both say it, before anything runs: Dask itself would fail only at the first task, with a
    traceback, and then wait a minute to close its half-made client."""
    matched = _SCHEDULER_ADDRESS.fullmatch(address)
    if matched is None or not 0 < int(matched.group(1)) < 2**16:
        return f"must be a Dask scheduler address such as 'tcp://host:8786', not {address!r}"
    return ""


def read_tm(reader: Reader, raw: dict[str, Any]) -> TmConfig:
    reader.no_unknown_keys(raw, {item.name for item in fields(TmConfig)}, reader.sub("tm"))
    least = reader.number(raw, "min_similarity", float, (50, 100), TmConfig().min_similarity, "tm")
    return TmConfig(min_similarity=least)


def read_release(reader: Reader, raw: dict[str, Any]) -> ReleaseConfig:
    reader.no_unknown_keys(raw, {item.name for item in fields(ReleaseConfig)}, reader.sub("release"))
    threshold = reader.number(raw, "threshold", float, (0, 100), 100.0, "release")
    if 0 < threshold < 1:
        raise reader.error(
            f"release.threshold is a percentage (0–100); {threshold:g} looks like a fraction: "
            f"write {threshold * 100:g} for {threshold * 100:g}%",
            "threshold",
            threshold,
        )
    return ReleaseConfig(threshold=threshold)


def read_cluster(reader: Reader, raw: dict[str, Any]) -> ClusterConfig:
    reader.no_unknown_keys(raw, {item.name for item in fields(ClusterConfig)}, reader.sub("cluster"))
    scheduler = reader.value(raw, "scheduler", str, "", "cluster").strip()
    problem = scheduler_problem(scheduler) if scheduler else ""
    if problem:
        raise reader.error(f"cluster.scheduler {problem}", "scheduler", scheduler)
    return ClusterConfig(scheduler=scheduler)


def read_readability(reader: Reader, raw: dict[str, Any]) -> ReadabilityConfig:
    reader.no_unknown_keys(raw, {item.name for item in fields(ReadabilityConfig)}, reader.sub("readability"))
    defaults = ReadabilityConfig()
    known = reader.value(raw, "known_acronyms", list, [], "readability")
    odd = next((name for name in known if not re.fullmatch(r"[A-Z][A-Z0-9&]*[A-Z0-9]", name)), None)
    if odd is not None:
        message = f"readability.known_acronyms: {odd!r} is not an acronym (capital letters and digits, e.g. 'DNA')"
        raise reader.error(message, "known_acronyms", odd)
    return ReadabilityConfig(
        enabled=reader.value(raw, "enabled", bool, defaults.enabled, "readability"),
        max_grade=reader.number(raw, "max_grade", float, (0, 30), defaults.max_grade, "readability"),
        max_sentence_grade=reader.number(
            raw, "max_sentence_grade", float, (0, 50), defaults.max_sentence_grade, "readability"
        ),
        max_sentence_words=reader.number(
            raw, "max_sentence_words", int, (3, 500), defaults.max_sentence_words, "readability"
        ),
        passive_voice=reader.value(raw, "passive_voice", bool, defaults.passive_voice, "readability"),
        known_acronyms=tuple(dict.fromkeys(known)),
    )
