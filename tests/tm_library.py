"""A held-out style health library for translation-memory tests and benchmarks: leaflets generated from templates
that vary the drug, the dose, the body part and the schedule, with the true translation of every sentence in
Spanish (and a few sentences in Arabic and Chinese), so that a suggestion can be compared with what a translator
would write.

``leaflet(number)`` gives one leaflet's sentences in every language; ``write_library`` writes leaflets as source
articles of a content project; ``review`` writes reviewed (or machine, or changed) translations into PO files the
way a translator's editor would.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from polyleaf.po.pofile import PoFile, with_flag, write_po
from polyleaf.po.poread import parse_po_file

#: (English, Spanish, Arabic, Chinese) drug names; the Spanish is also the word after "de".
DRUGS = (
    ("ibuprofen", "ibuprofeno", "إيبوبروفين", "布洛芬"),
    ("paracetamol", "paracetamol", "باراسيتامول", "对乙酰氨基酚"),
    ("naproxen", "naproxeno", "نابروكسين", "萘普生"),
    ("diclofenac", "diclofenaco", "ديكلوفيناك", "双氯芬酸"),
    ("codeine", "codeína", "كودايين", "可待因"),
    ("tramadol", "tramadol", "ترامادول", "曲马多"),
    ("aspirin", "aspirina", "أسبرين", "阿司匹林"),
    ("celecoxib", "celecoxib", "سيليكوكسيب", "塞来昔布"),
    ("gabapentin", "gabapentina", "غابابنتين", "加巴喷丁"),
    ("pregabalin", "pregabalina", "بريغابالين", "普瑞巴林"),
    ("amitriptyline", "amitriptilina", "أميتريبتيلين", "阿米替林"),
    ("duloxetine", "duloxetina", "دولوكستين", "度洛西汀"),
    ("meloxicam", "meloxicam", "ميلوكسيكام", "美洛昔康"),
    ("etoricoxib", "etoricoxib", "إيتوريكوكسيب", "依托考昔"),
    ("ketoprofen", "ketoprofeno", "كيتوبروفين", "酮洛芬"),
    ("nabumetone", "nabumetona", "نابوميتون", "萘丁美酮"),
)
#: (English, Spanish "de …", Spanish "la …", Arabic, Chinese) body parts.
PARTS = (
    ("knee", "de la rodilla", "la rodilla", "الركبة", "膝盖"),
    ("shoulder", "del hombro", "el hombro", "الكتف", "肩膀"),
    ("hip", "de la cadera", "la cadera", "الورك", "髋部"),
    ("lower back", "de la zona lumbar", "la zona lumbar", "أسفل الظهر", "下背部"),
    ("neck", "del cuello", "el cuello", "الرقبة", "颈部"),
    ("ankle", "del tobillo", "el tobillo", "الكاحل", "脚踝"),
    ("wrist", "de la muñeca", "la muñeca", "الرسغ", "手腕"),
    ("elbow", "del codo", "el codo", "المرفق", "肘部"),
    ("foot", "del pie", "el pie", "القدم", "足部"),
    ("jaw", "de la mandíbula", "la mandíbula", "الفك", "下颌"),
)

#: kind, then the sentence in English, Spanish, Arabic and Chinese (the last two only where the review sheet
#: pictures show them).
TEMPLATES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "title",
        "{Drug} for {part} pain",
        "{Drug_es} para el dolor {de_part}",
        "{drug_ar} لألم {part_ar}",
        "{drug_zh}治疗{part_zh}疼痛",
    ),
    ("heading", "How to take {drug}", "Cómo tomar {drug_es}", "كيفية تناول {drug_ar}", "如何服用{drug_zh}"),
    (
        "sentence",
        "Take {dose} mg of {drug} every {hours} hours.",
        "Tome {dose} mg de {drug_es} cada {hours} horas.",
        "تناول {dose} ملغ من {drug_ar} كل {hours} ساعات.",
        "每{hours}小时服用{dose}毫克{drug_zh}。",
    ),
    (
        "sentence",
        "Do not take more than {max} mg in 24 hours.",
        "No tome más de {max} mg en 24 horas.",
        "لا تتناول أكثر من {max} ملغ خلال 24 ساعة.",
        "24小时内服用不要超过{max}毫克。",
    ),
    (
        "sentence",
        "Take {drug} with food to protect your stomach.",
        "Tome {drug_es} con comida para proteger el estómago.",
        "تناول {drug_ar} مع الطعام لحماية معدتك.",
        "请随餐服用{drug_zh}，以保护胃部。",
    ),
    (
        "sentence",
        "Children under {age} years should not take {drug}.",
        "Los niños menores de {age} años no deben tomar {drug_es}.",
        "",
        "",
    ),
    (
        "sentence",
        "Keep {drug} out of the reach of children.",
        "Mantenga {drug_es} fuera del alcance de los niños.",
        "",
        "",
    ),
    ("heading", "Looking after your {part}", "El cuidado {de_part}", "العناية ب{part_ar}", "{part_zh}的护理"),
    (
        "sentence",
        "Rest your {part} for {days} days after the injection.",
        "Descanse {el_part} durante {days} días después de la inyección.",
        "أرح {part_ar} لمدة {days} أيام بعد الحقنة.",
        "注射后让{part_zh}休息{days}天。",
    ),
    (
        "sentence",
        "Apply ice to your {part} for {minutes} minutes, {times} times a day.",
        "Aplique hielo en {el_part} durante {minutes} minutos, {times} veces al día.",
        "",
        "",
    ),
    (
        "sentence",
        "Gentle exercise keeps your {part} moving.",
        "El ejercicio suave mantiene {el_part} en movimiento.",
        "",
        "",
    ),
    (
        "sentence",
        "An MRI scan may be needed if the pain in your {part} does not improve.",
        "Puede necesitar una resonancia (MRI) si el dolor {de_part} no mejora.",
        "",
        "",
    ),
    ("heading", "When to get help", "Cuándo pedir ayuda", "متى تطلب المساعدة", "何时寻求帮助"),
    (
        "sentence",
        "If the pain in your {part} lasts longer than {weeks} weeks, see your doctor.",
        "Si el dolor {de_part} dura más de {weeks} semanas, consulte a su médico.",
        "",
        "",
    ),
    (
        "sentence",
        "Stop taking {drug} and call your doctor if you notice a rash.",
        "Deje de tomar {drug_es} y llame a su médico si nota una erupción.",
        "توقف عن تناول {drug_ar} واتصل بطبيبك إذا لاحظت طفحًا جلديًا.",
        "如果出现皮疹，请停止服用{drug_zh}并联系医生。",
    ),
    (
        "sentence",
        "Most people feel better within {days} days.",
        "La mayoría de las personas se sienten mejor en {days} días.",
        "",
        "",
    ),
)
#: More sentences for a ``varied`` library, each naming the drug or a dose, so that a large library has as many
#: distinct sentences as the speed benchmark needs.
MORE_TEMPLATES: tuple[tuple[str, str, str, str, str], ...] = tuple(
    ("sentence", english, spanish, "", "")
    for english, spanish in (
        ("Swallow {drug} whole with a glass of water.", "Trague {drug_es} entero con un vaso de agua."),
        ("{Drug} starts to work within {minutes} minutes.", "{Drug_es} empieza a actuar en {minutes} minutos."),
        ("Do not drink alcohol while you take {drug}.", "No beba alcohol mientras toma {drug_es}."),
        ("Tell your doctor if you take {drug} for more than {days} days.",
         "Informe a su médico si toma {drug_es} durante más de {days} días."),
        ("A dose of {dose} mg may be enough for mild pain in your {part}.",
         "Una dosis de {dose} mg puede bastar para el dolor leve {de_part}."),
        ("{Drug} can make you feel sleepy.", "{Drug_es} puede darle sueño."),
        ("Store {drug} below {age} degrees.", "Conserve {drug_es} por debajo de {age} grados."),
        ("If you miss a dose of {drug}, take it within {hours} hours.",
         "Si olvida una dosis de {drug_es}, tómela en un plazo de {hours} horas."),
    )
)  # fmt: skip
LANGUAGES = ("en", "es", "ar", "zh_Hans")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One segment of a leaflet in every language ("" where the library has no translation)."""

    kind: str
    texts: Mapping[str, str]


_SYLLABLES = ("ka", "lo", "mi", "re", "tu", "za", "no", "vi", "be", "sa", "dro", "fen", "pra", "xi", "qua", "tel")
_ENDINGS = ("pril", "statin", "mab", "cillin", "zole", "done", "profen", "parin", "setron", "tidine")


def invented_drug(number: int) -> tuple[str, str, str, str]:
    """A drug name no other leaflet number has (for libraries larger than the list of real ones)."""
    syllables = []
    rest = number
    for _ in range(3):
        rest, index = divmod(rest, len(_SYLLABLES))
        syllables.append(_SYLLABLES[index])
    name = "".join(syllables) + _ENDINGS[rest % len(_ENDINGS)]
    return name, name, name, name


def slots(number: int, *, varied: bool = False) -> dict[str, str]:
    """The slot values of leaflet ``number`` (the same every time); ``varied``: an invented drug of its own and
    numbers from wider ranges, so that few of its sentences are those of another leaflet."""
    pick = random.Random(number)
    drug = invented_drug(number) if varied else DRUGS[number % len(DRUGS)]
    part = PARTS[(number // len(DRUGS)) % len(PARTS)]
    dose = pick.randrange(50, 2000, 25) if varied else pick.choice((100, 200, 250, 300, 400, 500, 600, 750, 800, 1000))
    ranges = {  # (usual values, a varied library's)
        "hours": ((4, 6, 8, 12), (4, 6, 8, 12, 24)),
        "age": ((12, 16, 18), range(6, 19)),
        "days": ((2, 3, 5, 7, 10), range(2, 60)),
        "minutes": ((10, 15, 20), range(5, 65, 5)),
        "times": ((2, 3, 4), range(2, 7)),
        "weeks": ((2, 3, 4, 6), range(2, 30)),
    }
    numbers = {name: str(pick.choice(choices[varied])) for name, choices in ranges.items()}
    return {
        "drug": drug[0],
        "Drug": drug[0].capitalize(),
        "drug_es": drug[1],
        "Drug_es": drug[1].capitalize(),
        "drug_ar": drug[2],
        "drug_zh": drug[3],
        "part": part[0],
        "de_part": part[1],
        "el_part": part[2],
        "part_ar": part[3],
        "part_zh": part[4],
        "dose": str(dose),
        "max": str(dose * pick.choice((3, 4, 6))),
        **numbers,
    }


def leaflet(number: int, *, varied: bool = False) -> list[Sentence]:
    """The sentences of leaflet ``number``, in order (``varied``: see ``slots``)."""
    values = slots(number, varied=varied)
    return [
        Sentence(kind, {language: text.format(**values) for language, text in zip(LANGUAGES, texts, strict=True)})
        for kind, *texts in (*TEMPLATES, *(MORE_TEMPLATES if varied else ()))
    ]


def name_of(number: int) -> str:
    return f"leaflet-{number:05d}"


def article(sentences: Sequence[Sentence]) -> str:
    """The English source article (.txt): the title, then headings and one paragraph per sentence group."""
    lines: list[str] = []
    paragraph: list[str] = []
    for sentence in sentences:
        if sentence.kind == "sentence":
            paragraph.append(sentence.texts["en"])
            continue
        if paragraph:
            lines.append(" ".join(paragraph))
            paragraph = []
        lines.append(sentence.texts["en"])
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n".join(lines) + "\n"


def write_library(source: Path, numbers: Iterable[int], *, varied: bool = False) -> dict[str, list[Sentence]]:
    """Write the leaflets ``numbers`` as articles into ``source``; their sentences by document name."""
    written = {}
    for number in numbers:
        sentences = leaflet(number, varied=varied)
        (source / f"{name_of(number)}.txt").write_text(article(sentences), encoding="utf-8")
        written[name_of(number)] = sentences
    return written


def review(path: Path, translations: Mapping[str, str], *, fuzzy: bool = False, comment: str = "") -> int:
    """Put ``translations`` (msgid → text) into the PO file at ``path`` as an editor would: reviewed, or ``fuzzy``
    with a translator ``comment`` (``mt: …`` for a machine translation); how many entries changed."""
    po = parse_po_file(path.read_bytes(), path)
    changed = 0
    messages = []
    for message in po.messages:
        text = translations.get(message.msgid) if not message.is_header and not message.obsolete else None
        if text:
            comments = (*message.comments, comment) if comment else message.comments
            message = dataclasses.replace(
                message, msgstr=(text,), flags=with_flag(message.flags, "fuzzy", fuzzy), comments=comments
            )
            changed += 1
        messages.append(message)
    path.write_bytes(write_po(PoFile(tuple(messages))))
    return changed
