"""The argos engine: installed argos packages, decoded with CTranslate2 in length-sorted token-budget batches.

The only module that touches argostranslate, CTranslate2 and sentencepiece, always lazily (inside functions):
``import argostranslate.settings`` creates directories under ``$HOME``/``XDG_*`` and reads ``ARGOS_PACKAGES_DIR`` at
import time, so the CLI sets the environment first. ``argostranslate.translate`` is never imported (it imports
stanza, which is kept out of the environment); that rules out ``argostranslate.package.install_from_path`` as well,
which extracts the archive and then imports it — ``install_package`` extracts the archive itself.

Decoding mirrors ``argostranslate.translate.apply_packaged_translation`` (the package's own sentencepiece model,
``target_prefix`` for multilingual packages, ``replace_unknowns``, ``length_penalty=0.2``) but, instead of one
``translate_batch`` per paragraph with a 32-token batch budget, decodes every text of a call in one pass: texts are
sorted by token length (longest first, as CTranslate2 does) and cut into batches of at most ``max_batch_tokens``
tokens, each with its own ``max_decoding_length`` cap, and the order is restored afterwards. Detokenizing uses
sentencepiece directly: argos' ``SentencePieceTokenizer.decode`` also turns every ``_`` into a space.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from polyleaf.config import MtConfig
from polyleaf.errors import TranslationError
from polyleaf.mt.engine import Progress

PIVOT = "en"
INSTALL_HINT = "install one with `polyleaf models install FILE.argosmodel`"
NETWORK_TIMEOUT = 10.0
ARGOS_LENGTH_PENALTY = 0.2

_SPECIAL_CODES = {("pt", "BR"): "pb", ("zh", "Hant"): "zt", ("zh", "TW"): "zt", ("zh", "HK"): "zt", ("zh", "MO"): "zt"}


def argos_code(identifier: str) -> str:
    """The argos language code for a Babel identifier: ``pt_BR`` → ``pb``, ``zh_Hans`` → ``zh``, ``zh_Hant`` →
    ``zt``, otherwise the language part (``es_MX`` → ``es``)."""
    parts = identifier.replace("-", "_").split("_")
    language = parts[0].lower()
    for subtag in parts[1:]:
        special = _SPECIAL_CODES.get((language, subtag))
        if special is not None:
            return special
    return language


@dataclass(frozen=True, slots=True)
class ArgosPackage:
    """An installed translation package (argos codes, not Babel identifiers)."""

    from_code: str
    to_code: str
    version: str
    path: Path
    target_prefix: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    def as_tuple(self) -> tuple[str, str, str]:
        return (self.from_code, self.to_code, self.version)


class _Tokenizer(Protocol):
    def encode(self, text: str) -> list[str]: ...

    def decode(self, tokens: list[str]) -> str: ...


class _SentencePiece:
    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, text: str) -> list[str]:
        return list(self._processor.encode(text, out_type=str))

    def decode(self, tokens: list[str]) -> str:
        return str(self._processor.decode_pieces(tokens))


class _ArgosBpe:
    """Older argos packages ship ``bpe.model`` (Moses tokenization + BPE); argos' own tokenizer handles them."""

    def __init__(self, package: ArgosPackage) -> None:
        from argostranslate.tokenizer import BPETokenizer

        self._tokenizer = BPETokenizer(package.path / "bpe.model", package.from_code, package.to_code)

    def encode(self, text: str) -> list[str]:
        return list(self._tokenizer.encode(text))

    def decode(self, tokens: list[str]) -> str:
        return str(self._tokenizer.decode(tokens))


@dataclass(frozen=True, slots=True)
class _Model:
    translator: Any
    tokenizer: _Tokenizer
    target_prefix: str


def _settings() -> Any:
    """argos' settings module (importing it creates argos' directories; see the module docstring)."""
    import argostranslate.settings

    return argostranslate.settings


def _package_dirs(packages_dir: Path | None) -> list[Path]:
    """Where packages are looked for: the explicit directory, else ``ARGOS_PACKAGES_DIR`` (read now, not at argos'
    import time), else argos' settings (its default directory, ``settings.json``, snap directories)."""
    if packages_dir is not None:
        return [packages_dir]
    from_env = os.environ.get("ARGOS_PACKAGES_DIR")
    if from_env:
        return [Path(from_env)]
    return [Path(path) for path in _settings().package_dirs]


def _install_dir(packages_dir: Path | None) -> Path:
    if packages_dir is not None:
        return packages_dir
    from_env = os.environ.get("ARGOS_PACKAGES_DIR")
    return Path(from_env) if from_env else Path(_settings().package_data_dir)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", version))


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def installed_packages(packages_dir: Path | None = None) -> list[ArgosPackage]:
    """Installed translation packages, found with ``argostranslate.package.get_installed_packages``."""
    import argostranslate.package

    dirs = [path for path in _package_dirs(packages_dir) if path.is_dir()]
    if not dirs:
        return []
    try:
        found = argostranslate.package.get_installed_packages(dirs)
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise TranslationError(f"cannot read the installed argos packages: {_one_line(error)}", dirs[0]) from None
    packages = [
        ArgosPackage(
            from_code=str(package.from_code),
            to_code=str(package.to_code),
            version=str(package.package_version or "0"),
            path=Path(package.package_path),
            target_prefix=str(getattr(package, "target_prefix", "") or ""),
        )
        for package in found
        if getattr(package, "type", "translate") == "translate" and package.from_code and package.to_code
    ]
    return sorted(packages, key=lambda package: (package.from_code, package.to_code, _version_key(package.version)))


def installed_pairs(packages_dir: Path | None = None) -> list[tuple[str, str, str]]:
    """``(from, to, version)`` of every installed translation package (argos codes)."""
    return [package.as_tuple() for package in installed_packages(packages_dir)]


def _best(packages: Iterable[ArgosPackage]) -> dict[tuple[str, str], ArgosPackage]:
    best: dict[tuple[str, str], ArgosPackage] = {}
    for package in packages:
        key = (package.from_code, package.to_code)
        if key not in best or _version_key(package.version) > _version_key(best[key].version):
            best[key] = package
    return best


def _route(best: dict[tuple[str, str], ArgosPackage], source: str, target: str) -> tuple[ArgosPackage, ...]:
    """The direct package, or the two packages of a pivot through English; empty when there is neither."""
    src, tgt = argos_code(source), argos_code(target)
    direct = best.get((src, tgt))
    if direct is not None:
        return (direct,)
    if PIVOT not in (src, tgt):
        first, second = best.get((src, PIVOT)), best.get((PIVOT, tgt))
        if first is not None and second is not None:
            return (first, second)
    return ()


def _missing_message(source: str, target: str) -> str:
    return f"no package for {target} ({source} → {target}): {INSTALL_HINT}"


def missing_pairs(source: str, targets: Sequence[str], packages_dir: Path | None = None) -> list[str]:
    """One message per target language that no installed package (direct or via English) can translate into."""
    best = _best(installed_packages(packages_dir))
    return [_missing_message(source, target) for target in targets if not _route(best, source, target)]


class ArgosEngine:
    """Translate with installed argos packages; models are loaded once per engine instance."""

    name = "argos"

    def __init__(self, mt_config: MtConfig, packages_dir: Path | None = None) -> None:
        self._config = mt_config
        self._packages_dir = packages_dir
        self._best: dict[tuple[str, str], ArgosPackage] | None = None
        self._models: dict[Path, _Model] = {}

    def _packages(self) -> dict[tuple[str, str], ArgosPackage]:
        if self._best is None:
            self._best = _best(installed_packages(self._packages_dir))
        return self._best

    def installed_pairs(self) -> list[tuple[str, str, str]]:
        return installed_pairs(self._packages_dir)

    def missing_pairs(self, source: str, targets: Sequence[str]) -> list[str]:
        return [_missing_message(source, target) for target in targets if not self.supports(source, target)]

    def install_package(self, path: Path) -> ArgosPackage:
        """Install an ``.argosmodel`` file; this engine sees it at once."""
        package = install_package(path, self._packages_dir)
        self._best = None
        return package

    def supports(self, source: str, target: str) -> bool:
        return bool(_route(self._packages(), source, target))

    def provenance(self, source: str, target: str) -> str:
        route = _route(self._packages(), source, target)
        if len(route) == 1:
            return f"argos {route[0].pair} {route[0].version}"
        if len(route) == 2:
            steps = ", ".join(f"{package.pair} {package.version}" for package in route)
            return f"argos {route[0].from_code}-{route[1].to_code} via {PIVOT} ({steps})"
        return f"argos {argos_code(source)}-{argos_code(target)}"

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        """Translate all ``texts`` in one batched pass per package (two passes through English for a pivot).
        ``progress`` is told after each batch of the last pass how many of ``texts`` are done."""
        route = _route(self._packages(), source, target)
        if not route:
            raise TranslationError(_missing_message(source, target))
        distinct = list(dict.fromkeys(texts))
        weights = Counter(texts)

        def report(done: list[int]) -> None:
            if progress is not None:
                progress(sum(weights[distinct[index]] for index in done))

        current = distinct
        for step, package in enumerate(route):
            current = self._decode(package, current, report if step == len(route) - 1 else None)
        by_text = dict(zip(distinct, current, strict=True))
        return [by_text[text] for text in texts]

    def _load(self, package: ArgosPackage) -> _Model:
        model = self._models.get(package.path)
        if model is not None:
            return model
        try:
            import ctranslate2

            device = self._config.device
            if device == "auto":
                device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
            translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=device,
                compute_type=self._config.compute_type,
                inter_threads=1,
                intra_threads=max(0, self._config.threads),
            )
            tokenizer: _Tokenizer
            if (package.path / "sentencepiece.model").is_file():
                tokenizer = _SentencePiece(package.path / "sentencepiece.model")
            elif (package.path / "bpe.model").is_file():
                tokenizer = _ArgosBpe(package)
            else:
                raise FileNotFoundError("no sentencepiece.model or bpe.model in the package")
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"cannot load argos package {package.pair} {package.version}: {_one_line(error)}", package.path
            ) from None
        model = _Model(translator, tokenizer, package.target_prefix)
        self._models[package.path] = model
        return model

    def _decode(
        self, package: ArgosPackage, texts: list[str], on_batch: Callable[[list[int]], None] | None
    ) -> list[str]:
        """Translate ``texts`` with one package: distinct non-blank texts, sorted by token length, token-budget
        batches, one ``max_decoding_length`` per batch; results back in input order."""
        model = self._load(package)
        positions: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            positions.setdefault(text, []).append(index)
        outputs = list(texts)
        blank = [index for text, indices in positions.items() if not text.strip() for index in indices]
        if blank and on_batch is not None:
            on_batch(blank)
        pending = [text for text in positions if text.strip()]
        try:
            tokens = {text: model.tokenizer.encode(text) for text in pending}
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"argos {package.pair}: tokenizing failed: {_one_line(error)}", package.path
            ) from None
        # Longest first, as CTranslate2 orders its own batches: on CPU, finished (shorter) translations are
        # removed from the end of the batch in place, which is cheap.
        ordered = sorted(pending, key=lambda text: (-len(tokens[text]), text))
        for batch in _token_batches(ordered, tokens, self._config.max_batch_tokens):
            for text, translation in zip(
                batch, self._translate_batch(model, package, [tokens[t] for t in batch]), strict=True
            ):
                for index in positions[text]:
                    outputs[index] = translation
            if on_batch is not None:
                on_batch([index for text in batch for index in positions[text]])
        return outputs

    def _translate_batch(self, model: _Model, package: ArgosPackage, batch: list[list[str]]) -> list[str]:
        longest = max(len(tokens) for tokens in batch)
        prefix = [model.target_prefix] if model.target_prefix else []
        try:
            results = model.translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=self._config.beam_size,
                num_hypotheses=1,
                length_penalty=ARGOS_LENGTH_PENALTY,
                replace_unknowns=True,
                max_decoding_length=max(16, int(longest * self._config.max_length_ratio)) + len(prefix),
            )
            translations = []
            for result in results:
                hypothesis = list(result.hypotheses[0])
                if prefix and hypothesis[:1] == prefix:
                    hypothesis = hypothesis[1:]
                translations.append(model.tokenizer.decode(hypothesis).strip())
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(f"argos {package.pair}: decoding failed: {_one_line(error)}", package.path) from None
        return translations


def _token_batches(ordered: list[str], tokens: dict[str, list[str]], budget: int) -> Iterable[list[str]]:
    """Cut length-sorted texts into batches of at most ``budget`` source tokens (CTranslate2's ``batch_type=
    "tokens"`` rule; a text longer than the budget is a batch of its own)."""
    batch: list[str] = []
    size = 0
    for text in ordered:
        length = len(tokens[text])
        if batch and size + length > budget:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += length
    if batch:
        yield batch


def _validate_archive(path: Path) -> tuple[str, dict[str, Any]]:
    """The package folder name and metadata of an ``.argosmodel`` file, or a TranslationError saying what is wrong."""
    if not path.is_file():
        raise TranslationError("no such file", path)
    if not zipfile.is_zipfile(path):
        raise TranslationError("not an argos package (not a zip archive)", path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unsafe = [
                name for name in names if name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts
            ]
            if unsafe:
                raise TranslationError(f"not an argos package (unsafe path {unsafe[0]!r} in the archive)", path)
            tops = {name.split("/", 1)[0] for name in names}
            top = next(iter(tops)) if len(tops) == 1 else ""
            if not top or f"{top}/metadata.json" not in names:
                raise TranslationError(
                    "not an argos package (expected one folder with metadata.json at the archive root)", path
                )
            metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            if not isinstance(metadata, dict):
                raise TranslationError("not an argos package (metadata.json is not an object)", path)
            for key in ("from_code", "to_code"):
                if not isinstance(metadata.get(key), str) or not metadata[key]:
                    raise TranslationError(f"not an argos package (metadata.json has no {key})", path)
            if metadata.get("type", "translate") != "translate":
                raise TranslationError(f"not a translation package (type {metadata.get('type')!r})", path)
            if f"{top}/model/model.bin" not in names:
                raise TranslationError("not an argos package (no model/model.bin)", path)
            if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
                raise TranslationError("not an argos package (no sentencepiece.model or bpe.model)", path)
            broken = archive.testzip()
            if broken is not None:
                raise TranslationError(f"corrupt archive (bad CRC for {broken})", path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as error:
        raise TranslationError(f"corrupt archive: {_one_line(error)}", path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TranslationError(f"not an argos package (metadata.json: {_one_line(error)})", path) from None
    return top, metadata


@contextlib.contextmanager
def _work_dir(near: Path) -> Iterator[Path]:
    """A temporary directory on the same file system as ``near`` when possible (so the final move is a rename)."""
    try:
        work = tempfile.mkdtemp(dir=near, prefix=".polyleaf-install-")
    except OSError:
        work = tempfile.mkdtemp(prefix="polyleaf-install-")
    try:
        yield Path(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def install_package(path: Path, packages_dir: Path | None = None) -> ArgosPackage:
    """Validate and install an ``.argosmodel`` file (a zip with ``<folder>/metadata.json``, ``model/`` and a
    tokenizer); a package already installed in the same folder is replaced."""
    top, metadata = _validate_archive(path)
    destination_root = _install_dir(packages_dir)
    destination = destination_root / top
    try:
        destination_root.mkdir(parents=True, exist_ok=True)
        # Extract next to the packages directory, not inside it: argos reads every folder in there as a package.
        with _work_dir(destination_root.parent) as work:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(work)
            if destination.exists():
                shutil.rmtree(destination)
            shutil.move(str(work / top), str(destination))
    except (OSError, zipfile.BadZipFile) as error:
        raise TranslationError(f"cannot install: {_one_line(error)}", path) from None
    return ArgosPackage(
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        version=str(metadata.get("package_version", "0")),
        path=destination,
        target_prefix=str(metadata.get("target_prefix", "")),
    )


def _fetch(url: str, what: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "polyleaf"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.URLError as error:
        reason = _one_line(error.reason) if isinstance(error.reason, BaseException) else str(error.reason)
    except (OSError, http.client.HTTPException, ValueError) as error:
        reason = _one_line(error)
    raise TranslationError(
        f"cannot reach {what} ({reason}); get the .argosmodel file another way and run "
        "`polyleaf models install FILE.argosmodel`"
    )


def download_packages(
    languages: Sequence[str],
    source: str = "en",
    packages_dir: Path | None = None,
    timeout: float = NETWORK_TIMEOUT,
) -> list[ArgosPackage]:
    """Download and install from the argos index what translating ``source`` into ``languages`` needs (a direct
    package, else the two legs of a pivot through English); already installed packages are skipped."""
    import argostranslate.package

    settings = _settings()
    index = _fetch(str(settings.remote_package_index), "the argos package index", timeout)
    try:
        json.loads(index)
    except (ValueError, UnicodeDecodeError):
        raise TranslationError("the argos package index is not valid JSON") from None
    Path(settings.local_package_index).write_bytes(index)
    available = {
        (package.from_code, package.to_code): package
        for package in argostranslate.package.get_available_packages()
        if getattr(package, "type", "translate") == "translate"
    }
    installed = _best(installed_packages(packages_dir))
    wanted: dict[tuple[str, str], Any] = {}
    unavailable: list[str] = []
    for language in languages:
        src, tgt = argos_code(source), argos_code(language)
        if (src, tgt) in installed or (src, tgt) in available:
            legs = [(src, tgt)]
        elif PIVOT not in (src, tgt) and all(
            leg in installed or leg in available for leg in ((src, PIVOT), (PIVOT, tgt))
        ):
            legs = [(src, PIVOT), (PIVOT, tgt)]
        else:
            unavailable.append(language)
            continue
        wanted.update({leg: available[leg] for leg in legs if leg not in installed})
    if unavailable:
        raise TranslationError(f"the argos index has no package for {', '.join(unavailable)} (from {source})")
    result: list[ArgosPackage] = []
    for (src, tgt), package in wanted.items():
        links = [str(link) for link in getattr(package, "links", [])]
        if not links:
            raise TranslationError(f"the argos index lists no download link for {src}-{tgt}")
        data = b""
        for number, link in enumerate(links):
            try:
                data = _fetch(link, f"the download of {src}-{tgt}", timeout)
                break
            except TranslationError:
                if number == len(links) - 1:
                    raise
        with tempfile.TemporaryDirectory(prefix="polyleaf-download-") as work:
            archive = Path(work) / f"translate-{src}_{tgt}.argosmodel"
            archive.write_bytes(data)
            result.append(install_package(archive, packages_dir))
    return result
