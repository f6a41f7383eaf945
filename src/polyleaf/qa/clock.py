"""Times of day on a clock, as each language writes them: "8 pm", "20:00", "20 h", "a las 8 de la noche", "晚上8点",
"8 giờ tối", "الساعة ٨ مساءً", "8:00 م", with any script's digits; and midnight and midday in words.

A time is read as the minutes after midnight it may stand for: one ("20:00", "8 pm") or two ("a las 8", "8点",
which may be morning or evening; in English "8:00" too). The translations' languages write a 24-hour clock: "8:00"
and "8.00" are 8 am there, "12:00" and "a las 12" noon, and midnight is 0:00 or "晚上12点". A time is *sure* when
its writing says so (a colon, "pm", "点钟", "الساعة"); "20 h", "20 horas", "20 часов" are times or durations, and
are read as times only where the source has that time (``pair``); "midnight", "a medianoche", "午夜" are never
sure (midday may be lunchtime), but pair with the other text's time or differ from it. The words come from
``schedule_vocabulary.CLOCK``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from polyleaf import locale
from polyleaf.qa import numerals, schedule_vocabulary

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Clock:
    """A time of day as written: the minutes after midnight it may be, its span, and the span of its hour's number
    (where a quantity reader sees a number)."""

    minutes: frozenset[int]
    start: int
    end: int
    shown: str
    sure: bool
    number_start: int  # -1 for a word ("midnight")

    @property
    def hours(self) -> frozenset[int]:
        return frozenset(minute // 60 for minute in self.minutes)


@dataclass(frozen=True, slots=True)
class _Patterns:
    pattern: re.Pattern[str]
    periods: dict[str, str]  # form → am, pm, night or noon
    supported: frozenset[str]  # period forms that need an at/near/o'clock/hours word to be sure
    spelled: dict[str, int]
    words: re.Pattern[str] | None  # midnight (group "midnight") and midday words
    word_starts: tuple[str, ...]  # what a text must contain for one of them to be there
    dotted: bool  # "в 20.00": a dot between hour and minutes is no decimal point here
    clock24: bool  # written on a 24-hour clock: "8:00" is 8 am, "12:00" and "a las 12" noon, midnight 0:00


def _forms(words: dict[str, str], key: str) -> list[str]:
    return [form for form in words.get(key, "").casefold().split("|") if form]


def _alternatives(forms: list[str]) -> str:
    """One regex for ``forms`` (without the ``+`` mark), longest first; ``(?!)`` when there are none."""
    escaped = [
        r"\s*".join(re.escape(part) for part in form.lstrip("+").split(" "))
        for form in sorted(set(forms), key=lambda form: len(form.lstrip("+")), reverse=True)
    ]
    return "|".join(escaped) or "(?!)"


_CJK_NUMERAL = "[零〇一二两三四五六七八九十]{1,3}"


@cache
def _patterns(language: str) -> _Patterns | None:
    words = schedule_vocabulary.CLOCK.get(language)
    if words is None:
        return None
    periods = {form.lstrip("+"): part for part in ("am", "pm", "night", "noon") for form in _forms(words, part)}
    supported = frozenset(
        form[1:] for part in ("am", "pm", "night", "noon") for form in _forms(words, part) if form[0] == "+"
    )
    period = _alternatives([form for part in ("am", "pm", "night", "noon") for form in _forms(words, part)])
    oclock, half, minutes = (_alternatives(_forms(words, key)) for key in ("oclock", "half", "minutes"))
    if language in {"zh", "ja"}:
        pattern = (
            rf"(?:(?P<p>{period})\s?)?(?:(?P<h>\d{{1,2}})|(?P<z>{_CJK_NUMERAL}))\s?"
            rf"(?:[:：](?P<mc>\d{{2}})(?!\d)|(?P<oc>{oclock})(?:(?P<mh>\d{{1,2}}|{_CJK_NUMERAL})(?:{minutes})?"
            rf"|(?P<half>{half})|整)?)"
        )
        return _Patterns(
            re.compile(pattern), periods, supported, {}, _words(words, edges=False), _starts(words), False, True
        )
    spelled = {
        form: int(value)
        for form, value in numerals.number_words(language).items()
        if value <= 24 and value == value.to_integral()
    } | schedule_vocabulary.CLOCK_WORDS.get(language, {})
    at, near, hours = (_alternatives(_forms(words, key)) for key in ("at", "near", "hours"))
    edge = r"(?![^\W\d_])"
    firsts = "".join(sorted({re.escape(form[0]) for key in ("at", "near") for form in _forms(words, key)}))
    pattern = (
        rf"(?<![\w.,:/])(?=[\d{firsts}])(?:(?:(?P<at>{at})\s+|(?P<near>{near})\s+)?(?P<h>\d{{1,2}})"
        rf"|(?:(?P<at2>{at})|(?P<near2>{near}))\s+(?P<w>{_alternatives(list(spelled))}){edge})"
        rf"(?:[:：](?P<mc>\d{{2}})|\.(?P<md>\d{{2}}))?(?!\d|[.,]\d)"
        rf"(?:\s?(?P<oc>{oclock}){edge}|\s?(?P<hr>{hours}){edge}(?:\s?(?P<mh>\d{{2}})(?!\d)(?:\s?(?:{minutes}){edge})?)?)?"
        rf"(?:\s?(?P<half>{half}){edge})?"
        rf"(?:\s?(?P<p>{period})(?![^\W\d_]))?"
    )
    dotted = locale.number_separators(language)[0] != "."
    return _Patterns(
        re.compile(pattern, re.IGNORECASE),
        periods,
        supported,
        spelled,
        _words(words),
        _starts(words),
        dotted,
        language != "en",
    )


def _starts(words: dict[str, str]) -> tuple[str, ...]:
    return tuple({form[:3] for key in ("midnight", "midday") for form in _forms(words, key)})


def _words(words: dict[str, str], *, edges: bool = True) -> re.Pattern[str] | None:
    midnight, midday = _forms(words, "midnight"), _forms(words, "midday")
    if not midnight and not midday:
        return None
    before, after = (r"(?<![^\W\d_])", r"(?![^\W\d_])") if edges else ("", "")
    return re.compile(
        rf"{before}(?:(?P<midnight>{_alternatives(midnight)})|{_alternatives(midday)}){after}", re.IGNORECASE
    )


def _number(digits: str) -> int:
    return int("".join(str(unicodedata.decimal(char)) for char in digits))


def _hour_and_minute(match: re.Match[str], patterns: _Patterns) -> tuple[int, int] | None:
    groups = match.groupdict()
    if groups.get("h"):
        hour = _number(groups["h"])
    elif groups.get("w"):
        spelled = patterns.spelled.get(numerals.normalize_words(groups["w"]))
        if spelled is None:
            return None
        hour = spelled
    else:
        read = numerals.read_cjk(groups["z"])
        if read is None:
            return None
        hour = int(read)
    minute_text = groups.get("mc") or groups.get("md") or groups.get("mh")
    if minute_text is None:
        minute = 30 if groups.get("half") else 0
    elif minute_text.isdigit():
        minute = _number(minute_text)
    else:
        read = numerals.read_cjk(minute_text)
        minute = int(read) if read is not None else 60
    return (hour, minute) if hour <= 24 and minute < 60 else None


def _sureness(match: re.Match[str], patterns: _Patterns, hour: int, *, cjk: bool) -> bool | None:
    """True for a sure time, False for one that may be a duration, None for no time at all."""
    groups = match.groupdict()
    period = " ".join((groups.get("p") or "").casefold().split())
    near = bool(groups.get("near") or groups.get("near2"))
    at = bool(groups.get("at") or groups.get("at2")) or (near and patterns.dotted and bool(groups.get("md")))
    helped = at or near or bool(groups.get("oc") or groups.get("hr"))
    sure_period = bool(period) and (period not in patterns.supported or helped)
    if cjk:
        if groups.get("mc") or sure_period or "钟" in (groups.get("oc") or "") or "鐘" in (groups.get("oc") or ""):
            return True
        if groups.get("mh") or groups.get("half") or (groups.get("h") and hour > 12):
            return True
        return False if groups.get("h") else None
    if groups.get("w") and not (at or groups.get("oc") or groups.get("hr") or sure_period):
        return None
    if groups.get("md") and not (at or groups.get("oc") or groups.get("hr") or period):
        return None  # 2.30 is a decimal
    if groups.get("mc") or groups.get("oc") or sure_period or at:
        return True
    if groups.get("hr") or period:
        return False
    return None


def _minutes(hour: int, minute: int, part: str | None, *, exact: bool) -> frozenset[int]:
    """The minutes after midnight a time may be: "12 pm" is noon, "12 am" and "晚上12点" midnight; "8:00" 8 am or
    8 pm; ``exact`` for a 24-hour time ("20 h", "08:00", and "12:00" on a 24-hour clock)."""
    hour %= 24
    if part and hour <= 12:
        twelve = hour % 12
        evening = part in {"pm", "noon"} or (part == "night" and twelve >= 6)
        return frozenset({(twelve + (12 if evening else 0)) * 60 + minute})
    if exact or hour == 0 or hour > 12:
        return frozenset({hour * 60 + minute})
    return frozenset({hour * 60 + minute, (hour + 12) % 24 * 60 + minute})


def _spoken(text: str, patterns: _Patterns, found: list[Clock]) -> list[Clock]:
    """Midnight and midday said in words, where no time is written: never sure (midday may be lunchtime), but
    paired with a time of the other text ("a medianoche" for "at 12 am")."""
    if patterns.words is None:
        return []
    lowered = text.casefold()
    if not any(start in lowered for start in patterns.word_starts):
        return []
    return [
        Clock(frozenset({0 if match.group("midnight") else 720}), match.start(), match.end(), match.group(), False, -1)
        for match in patterns.words.finditer(text)
        if not any(time.start <= match.start() < time.end for time in found)
    ]


def times(text: str, language: str) -> tuple[Clock, ...]:
    """The times of day written in ``text`` (prepared as ``text.prepared`` does), in text order."""
    patterns = _patterns(language)
    cjk = language in {"zh", "ja"}
    if patterns is None or not (patterns.spelled or cjk or patterns.words or _DIGIT.search(text)):
        return ()
    found = []
    for match in patterns.pattern.finditer(text):
        if match.lastgroup == "h" and match.start() == match.start("h"):
            continue  # a number alone
        read = _hour_and_minute(match, patterns)
        if read is None:
            continue
        sure = _sureness(match, patterns, read[0], cjk=cjk)
        if sure is None:
            continue
        part = patterns.periods.get(" ".join((match.group("p") or "").casefold().split()))
        hour_text = match.group("h") or ""
        exact = bool(match.groupdict().get("hr")) or (len(hour_text) == 2 and hour_text[0] in "0０٠")
        # a 24-hour clock: "8:00" is 8 am, "12" noon (midnight is 0:00)
        clock24 = patterns.clock24 and (
            read[0] == 12 or bool(match.groupdict().get("mc") or match.groupdict().get("md"))
        )
        exact = exact or clock24
        number_start = match.start("h") if match.group("h") else match.start("w" if not cjk else "z")
        end = match.end()
        shown = text[match.start() : end].strip()
        found.append(Clock(_minutes(*read, part, exact=exact), match.start(), end, shown, sure, number_start))
    found += _spoken(text, patterns, found)
    return tuple(sorted(found, key=lambda time: time.start))


def pair(source: Sequence[Clock], target: Sequence[Clock]) -> dict[int, int]:
    """Source time → the target time that may be the same (by index), as many as possible (augmenting paths), a
    target that is surely a time before one that may be a duration."""
    order = sorted(range(len(target)), key=lambda index: (not target[index].sure, len(target[index].minutes)))
    owner: dict[int, int] = {}

    def place(index: int, seen: set[int]) -> bool:
        for other in order:
            if other in seen or not source[index].minutes & target[other].minutes:
                continue
            seen.add(other)
            if other not in owner or place(owner[other], seen):
                owner[other] = index
                return True
        return False

    for index in range(len(source)):
        place(index, set())
    return {index: other for other, index in owner.items()}
