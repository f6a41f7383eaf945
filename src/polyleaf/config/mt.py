"""The ``[mt]`` table: which machine translation engines translate each language, and how they decode."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, fields
from typing import Any

from polyleaf import locale
from polyleaf.config.reader import Reader, shown
from polyleaf.errors import ConfigError

DEVICES = ("auto", "cpu", "cuda")
#: The machine translation engines ``[mt] engine`` may name (``polyleaf.mt.registry`` makes them): ``argos``, or
#: ``ctranslate2`` (any installed CTranslate2 model that covers the pair) or ``ctranslate2:<model name>``.
ENGINES = ("argos", "ctranslate2")
_ENGINE_CHOICE = re.compile(r"(?P<engine>[a-z0-9]+)(?::(?P<model>[A-Za-z0-9][A-Za-z0-9._+-]{0,99}))?")
#: CTranslate2's compute types (``auto`` picks the fastest one the device supports).
COMPUTE_TYPES = (
    "auto",
    "default",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)


@dataclass(frozen=True, slots=True)
class MtConfig:
    """Machine translation settings (``[tool.polyleaf.mt]``).

    ``engine``: the engines tried in order for every language (the first that covers the pair translates it);
    ``languages``: per target language (or ``en-so`` pair), its own order instead.
    """

    engine: tuple[str, ...] = ("argos",)
    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()
    beam_size: int = 4
    device: str = "auto"
    threads: int = 0
    compute_type: str = "auto"
    max_batch_tokens: int | None = None  # None: the device's measured budget (polyleaf.mt.decoding.BATCH_TOKENS)
    max_length_ratio: float = 3.0
    #: Batches decoded at the same time, each by its own CTranslate2 replica (``inter_threads``) sharing one copy
    #: of the weights: set by an executor whose workers run several tasks at once, never read from a file.
    decoders: int = 1

    def engines_for(self, target: str) -> tuple[str, ...]:
        """The engine choices tried, in order, for translating into ``target``."""
        return dict(self.languages).get(target, self.engine)


def read_mt(reader: Reader, raw: dict[str, Any], source_language: str) -> MtConfig:
    settable = {item.name for item in fields(MtConfig)} - {"decoders"}
    reader.no_unknown_keys(raw, settable, reader.sub("mt"))
    defaults = MtConfig()
    per_language = reader.value(raw, "languages", dict, {}, "mt")
    languages = {
        _target_of(reader, key, source_language): _engines(reader, per_language, key, f"mt.languages.{key}")
        for key in per_language
    }
    number = reader.number
    return MtConfig(
        engine=_engines(reader, raw, "engine", "mt.engine") if "engine" in raw else defaults.engine,
        languages=tuple(sorted(languages.items())),
        beam_size=number(raw, "beam_size", int, (1, 64), defaults.beam_size, "mt"),
        device=reader.choice(raw, "device", DEVICES, defaults.device, "mt"),
        threads=number(raw, "threads", int, (0, 1024), defaults.threads, "mt"),
        compute_type=reader.choice(raw, "compute_type", COMPUTE_TYPES, defaults.compute_type, "mt"),
        max_batch_tokens=number(raw, "max_batch_tokens", int, (1, 65536), defaults.max_batch_tokens, "mt"),
        max_length_ratio=number(raw, "max_length_ratio", float, (0.1, 100), defaults.max_length_ratio, "mt"),
    )


def _target_of(reader: Reader, key: str, source_language: str) -> str:
    """The target language a ``[mt.languages]`` key names: a language (``so``), or a pair from the source
    language (``en-so``)."""
    source, dash, target = key.partition("-")
    with contextlib.suppress(ConfigError):
        if dash and locale.normalize(source) == source_language:
            return reader.language(target, key)
    return reader.language(key, key)


def _engines(reader: Reader, raw: dict[str, Any], key: str, name: str) -> tuple[str, ...]:
    """An engine choice or a list of them (tried in order): ``argos``, ``ctranslate2``, ``ctranslate2:<model>``."""
    value = raw[key]
    choices = [value] if isinstance(value, str) else value
    if not isinstance(choices, list) or not choices or not all(isinstance(item, str) for item in choices):
        raise reader.error(f"{name} must be an engine or a list of engines, not {shown(value)}", key, value)
    for choice in choices:
        match = _ENGINE_CHOICE.fullmatch(choice)
        if match is None or match["engine"] not in ENGINES or (match["model"] and match["engine"] == "argos"):
            raise reader.error(
                f"{name}: {choice!r} is not an engine ({', '.join(ENGINES)}, or ctranslate2:<model name>)",
                key,
                choice,
            )
    return tuple(dict.fromkeys(choices))
