"""Compiled templates are kept in this user's cache folder (``render.templating``): a new process renders its
pages without compiling a template it compiled before, and an entry this machine did not write is not used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from polyleaf.render import templating


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A cache folder of the test's own, the environment made anew (as in a new process), and the names of the
    templates compiled."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    templating.environment.cache_clear()
    yield compiled
    templating.environment.cache_clear()  # the next test's environment uses its own cache folder


def test_a_template_compiled_once_is_not_compiled_again_by_a_new_process(fresh: list[str]) -> None:
    first = templating.environment().get_template("site_index.html")
    assert "site_index.html" in fresh
    fresh.clear()
    templating.environment.cache_clear()  # a new process: nothing compiled in memory
    again = templating.environment().get_template("site_index.html")
    assert fresh == []
    assert again.root_render_func.__code__.co_code == first.root_render_func.__code__.co_code


def test_a_compiled_template_this_machine_did_not_keep_is_compiled_again(fresh: list[str], tmp_path: Path) -> None:
    templating.environment().get_template("site_index.html")
    kept = [path for path in (tmp_path / "cache" / "polyleaf").glob("templates-*/*") if path.is_file()]
    assert kept
    for path in kept:  # another machine's, or changed: the signature fails
        path.write_bytes(path.read_bytes().replace(b"polyleaf-cache-1 ", b"polyleaf-cache-1 0", 1))
    fresh.clear()
    templating.environment.cache_clear()
    templating.environment().get_template("site_index.html")
    assert "site_index.html" in fresh


def test_no_template_applies_polyleaf_s_filters_while_it_is_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja folds a filter applied to constants into the compiled template (``{{ "**x**"|inline }}`` is compiled as
    its output); the compiled templates are kept by Jinja's version and each template's source, not by polyleaf's
    filters, so a filter that changed would leave a kept template saying what the old one said."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templating.environment.cache_clear()
    try:
        env = templating.environment()
        called: list[str] = []
        for name in ("inline", "plain", "css_string", "direction"):
            monkeypatch.setitem(env.filters, name, lambda *args, _name=name, **kwargs: called.append(_name))
        assert env.loader is not None
        for name in env.loader.list_templates():
            env.compile(env.loader.get_source(env, name)[0], name)
        assert called == []
        assert env.compile('{{ "x"|plain }}', "probe") and called == ["plain"]  # what is looked for
    finally:
        templating.environment.cache_clear()
