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

from polyleaf.pofile import PoFile, parse_po, with_flag, write_po

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
LANGUAGES = ("en", "es", "ar", "zh_Hans")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One segment of a leaflet in every language ("" where the library has no translation)."""

    kind: str
    texts: Mapping[str, str]


def slots(number: int) -> dict[str, str]:
    """The slot values of leaflet ``number`` (the same every time)."""
    pick = random.Random(number)
    drug = DRUGS[number % len(DRUGS)]
    part = PARTS[(number // len(DRUGS)) % len(PARTS)]
    dose = pick.choice((100, 200, 250, 300, 400, 500, 600, 750, 800, 1000))
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
        "hours": str(pick.choice((4, 6, 8, 12))),
        "age": str(pick.choice((12, 16, 18))),
        "days": str(pick.choice((2, 3, 5, 7, 10))),
        "minutes": str(pick.choice((10, 15, 20))),
        "times": str(pick.choice((2, 3, 4))),
        "weeks": str(pick.choice((2, 3, 4, 6))),
    }


def leaflet(number: int) -> list[Sentence]:
    """The sentences of leaflet ``number``, in order."""
    values = slots(number)
    return [
        Sentence(kind, {language: text.format(**values) for language, text in zip(LANGUAGES, texts, strict=True)})
        for kind, *texts in TEMPLATES
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


def write_library(source: Path, numbers: Iterable[int]) -> dict[str, list[Sentence]]:
    """Write the leaflets ``numbers`` as articles into ``source``; their sentences by document name."""
    written = {}
    for number in numbers:
        sentences = leaflet(number)
        (source / f"{name_of(number)}.txt").write_text(article(sentences), encoding="utf-8")
        written[name_of(number)] = sentences
    return written


def review(path: Path, translations: Mapping[str, str], *, fuzzy: bool = False, comment: str = "") -> int:
    """Put ``translations`` (msgid → text) into the PO file at ``path`` as an editor would: reviewed, or ``fuzzy``
    with a translator ``comment`` (``mt: …`` for a machine translation); how many entries changed."""
    po = parse_po(path.read_bytes(), path)
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
