"""Templates (POT): one entry per segment of a source, with a header like xgettext's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from polyleaf.catalog.model import Catalog, TemplateEntry, format_date, same_but_dates, with_header_field
from polyleaf.clock import now
from polyleaf.errors import CatalogError
from polyleaf.fsio import read_regular
from polyleaf.po import pofile, poheader
from polyleaf.po.pofile import Message, PoFile


def build_template(
    entries: Sequence[TemplateEntry],
    project: str,
    path: Path,
    when: dt.datetime | None = None,
    source_language: str = "en",
) -> Catalog:
    """A POT catalog for ``entries`` (in order) with a header like xgettext's (valid for ``msgfmt -c``).

    Its POT-Creation-Date is the one of the template at ``path`` when that file has the same content: the date
    says when the template last changed, and every PO file carries the same date. The project's name is kept as
    that file has it, too: a project cloned into another folder, or renamed, rewrites no template for that alone."""
    messages = [_template_message(item) for item in entries]
    date = format_date(when or now())
    po = PoFile((poheader.template_header(project, date, source_language), *messages))
    try:
        existing = read_regular(path)
    except OSError:
        return Catalog(po, path)
    named = _field(existing, "Project-Id-Version")
    if named is not None and named != project:
        renamed = PoFile((poheader.template_header(named, date, source_language), *messages))
        po = renamed if same_but_dates(existing, pofile.write_po(renamed)) else po
    if same_but_dates(existing, pofile.write_po(po)):
        created = _field(existing, "POT-Creation-Date")
        if created is not None:
            po = with_header_field(po, "POT-Creation-Date", created)
            po = with_header_field(po, "PO-Revision-Date", created)
    return Catalog(po, path)


def _field(data: bytes, name: str) -> str | None:
    """The value of header field ``name`` in a template's bytes (as polyleaf writes it: one line)."""
    found = re.search(rb'"' + re.escape(name.encode()) + rb': ([^"\\]*)\\n"', data)
    return found.group(1).decode("utf-8", "replace") if found else None


def _template_message(item: TemplateEntry) -> Message:
    for name, _line in item.references:
        if "\n" in name or "\r" in name:
            raise CatalogError(f"source file name with a line break cannot be a PO reference: {name!r}")
    extracted = tuple(pofile.safe_comment(part) for comment in item.comments for part in comment.split("\n"))
    references: tuple[tuple[str, int | None], ...] = tuple(dict.fromkeys(item.references))  # each file:line once
    if any(not name or name != "".join(name.split()) for name, _line in references):
        # a name with blanks reads back as several references (GNU has no quoting): keep what the file will say
        references = tuple(dict.fromkeys(pofile.parse_references(" ".join(f"{n}:{line}" for n, line in references))))
    return Message(msgid=item.msgid, msgstr=("",), msgctxt=item.msgctxt, extracted=extracted, references=references)


def template_to_bytes(template: Catalog) -> bytes:
    return pofile.write_po(template.po)
