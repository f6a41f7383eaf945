"""What a command did, for the CLI to print (or dump as JSON), and what a re-run with nothing to do reports
instead (``run_record``): the last run's lines, nothing written, nothing filled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polyleaf.pipeline.run_record import Replay


@dataclass(slots=True)
class Report:
    """What a command did, for the CLI to print (or dump as JSON)."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # outputs no build makes any more
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the command failed (exit 1), though it finished its work
    filled_from_tm: dict[str, int] = field(default_factory=dict)
    #: Unreviewed entries that carry a fuzzy suggestion from translation memory (``pipeline.fuzzy``).
    suggested_from_tm: dict[str, int] = field(default_factory=dict)
    filled_from_mt: dict[str, int] = field(default_factory=dict)  # entries filled; the summary's unit
    #: Distinct English texts machine-translated: the work MT's progress counts (one text may fill many entries).
    translated_texts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    qa_errors: list[str] = field(default_factory=list)  # ``path:line: [check] message`` of reviewed entries

    def written_paths(self, root: Path, paths: Sequence[Path] | None = None) -> list[str]:
        """The files written (or ``paths``), relative to ``root`` where they are inside it."""
        chosen = self.written if paths is None else paths
        return [path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path) for path in chosen]

    def as_json(self, root: Path) -> dict[str, object]:
        """The ``--json`` output of the pipeline commands."""
        return {
            "written": self.written_paths(root),
            "removed": self.written_paths(root, self.removed),
            "notes": self.notes,
            "warnings": self.warnings,
            "errors": self.errors,
            "filled_from_tm": self.filled_from_tm,
            "suggested_from_tm": self.suggested_from_tm,
            "filled_from_mt": self.filled_from_mt,
            "machine_translated_texts": self.translated_texts,
            "skipped": self.skipped,
            "published": self.published,
            "withheld": self.withheld,
            "qa_errors": self.qa_errors,
        }

    def replay(self) -> Replay:
        """What a re-run with nothing to do reports: this run's lines, and no entry filled."""
        names = ("notes", "warnings", "errors", "withheld", "published", "qa_errors")
        lists = {name: list(getattr(self, name)) for name in names}
        return Replay(
            lists,
            tuple(self.filled_from_tm),
            tuple(self.filled_from_mt),
            dict(self.skipped),
            dict(self.suggested_from_tm),
        )

    @classmethod
    def replayed(cls, replay: Replay) -> Report:
        """The report of a run the record answered: the last run's lines, nothing written, nothing filled."""
        report = cls(filled_from_tm=dict.fromkeys(replay.filled, 0), filled_from_mt=dict.fromkeys(replay.translated, 0))
        for name, lines in replay.lists.items():
            getattr(report, name).extend(lines)
        report.skipped.update(replay.skipped)
        report.suggested_from_tm.update(replay.suggested)
        return report
