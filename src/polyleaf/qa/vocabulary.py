"""The words that bind a number to what it counts and to its role, per language: data, read by ``quantities``.

Languages: the project's own (es, fr, pt, ru, zh, vi, ar) and the English source; others fall back to the symbols
every language writes (mg, ml, %…). Forms are separated by ``|``. In ``UNITS`` a trailing ``*`` stands for any
ending (plural, Russian cases), ``=N`` gives a word its own value (``twice=2``) and a trailing ``²`` adds the Arabic
dual and "one" after the noun (``يوم²`` also reads ``يومين`` and ``يومان`` as 2 days, ``يوما واحدا`` as one day).
Lookups are case-insensitive; Arabic is read without its short vowels, so ``يومًا`` is written ``يوما`` here.
"""

from __future__ import annotations

from typing import Literal

UnitKind = Literal["measure", "count", "time"]

#: What a unit is. A measure (mg, ml, %) must be written next to its number in the translation; a counted noun or
#: a time unit may be left implicit ("take 2" for "take 2 tablets") but must not change.
KINDS: dict[str, UnitKind] = {
    **dict.fromkeys(("mg", "ml", "g", "kg", "mcg", "mmHg", "%", "IU", "cm", "mm", "l", "°C", "mmol"), "measure"),
    **dict.fromkeys(("tablet", "capsule", "pill", "drop", "puff", "sachet", "patch", "dose", "times"), "count"),
    **dict.fromkeys(("minute", "hour", "day", "week", "month", "year"), "time"),
}

#: Units that name the same thing loosely: a "pill" (zh 粒, en pill) may be a tablet or a capsule.
LOOSE: dict[str, frozenset[str]] = {"pill": frozenset({"tablet", "capsule"})}

UNITS: dict[str, dict[str, str]] = {
    "mg": {
        "*": "mg",
        "en": "milligram*",
        "es": "miligramo*",
        "fr": "milligramme*",
        "pt": "miligrama*",
        "ru": "мг|миллиграмм*",
        "zh": "毫克",
        "vi": "miligam",
        "ar": "ملغ|ملغم|مجم|مغ|ملليغرام|مليغرام|ميليغرام",
    },
    "ml": {
        "*": "ml",
        "en": "millilit*",
        "es": "mililitro*",
        "fr": "millilitre*",
        "pt": "mililitro*",
        "ru": "мл|миллилитр*",
        "zh": "毫升",
        "ar": "مل|ملل|ملليلتر|مليلتر",
    },
    "g": {
        "*": "g",
        "en": "gram|grams",
        "es": "gramo*",
        "fr": "gramme*",
        "pt": "grama|gramas",
        "ru": "г|грамм*",
        "zh": "克",
        "vi": "gam",
        "ar": "غ|غم|جم|غرام|جرام",
    },
    "kg": {"*": "kg", "en": "kilogram*", "ru": "кг", "zh": "公斤|千克", "ar": "كغ|كغم|كجم|كيلوغرام"},
    "mcg": {
        "*": "mcg|µg|μg",
        "en": "microgram*",
        "es": "microgramo*",
        "fr": "microgramme*",
        "pt": "micrograma*",
        "ru": "мкг|микрограмм*",
        "zh": "微克",
        "vi": "microgam|micrôgam",
        "ar": "مكغ|مكجم|ميكروغرام|ميكروجرام",
    },
    "mmHg": {"*": "mmhg|mm hg", "ru": "мм рт|мм рт ст", "zh": "毫米汞柱", "ar": "ملم زئبق|مم زئبقي"},
    "%": {"*": "%|٪|％", "en": "percent|per cent", "es": "por ciento", "fr": "pour cent", "pt": "por cento"},
    "IU": {
        "*": "iu|ui|u",
        "en": "unit*|international unit*",
        "es": "unidad*",
        "fr": "unité*",
        "pt": "unidade*",
        "ru": "ме|ед|единиц*",
        "zh": "国际单位|单位",
        "ar": "وحدة دولية|وحدة|وحدات",
    },
    "cm": {"*": "cm", "ru": "см", "zh": "厘米|公分", "ar": "سم"},
    "mm": {"*": "mm", "ru": "мм", "zh": "毫米", "ar": "مم|ملم"},
    "l": {
        "*": "l",
        "en": "litre*|liter*",
        "es": "litro*",
        "fr": "litre*",
        "pt": "litro*",
        "ru": "л|литр*",
        "zh": "升|公升",
        "vi": "lít",
        "ar": "لتر²|لترات|ليتر²|ليترات",
    },
    "°C": {"*": "°c|℃|° c", "ru": "°с", "ar": "°م|° م|درجة مئوية|درجات مئوية|درجة سيليزية"},
    "mmol": {"*": "mmol", "ru": "ммоль", "zh": "毫摩尔"},
    "tablet": {
        "en": "tablet*|tab|tabs",
        "es": "comprimido*|tableta*|pastilla*",
        "fr": "comprimé*|cachet*",
        "pt": "comprimido*|pastilha*",
        "ru": "таблет*",
        "zh": "片",
        "vi": "viên|viên nén",
        "ar": "قرص²|أقراص|اقراص",
    },
    "capsule": {
        "en": "capsule*",
        "es": "cápsula*",
        "fr": "gélule*|capsule*",
        "pt": "cápsula*",
        "ru": "капсул*",
        "zh": "胶囊",
        "vi": "viên nang",
        "ar": "كبسولة²|كبسولات",
    },
    "pill": {"en": "pill*", "es": "píldora*", "fr": "pilule*", "pt": "pílula*", "zh": "粒", "ar": "حبة²|حبات|حبوب"},
    "drop": {
        "en": "drop|drops",
        "es": "gota*",
        "fr": "goutte*",
        "pt": "gota*",
        "ru": "капл*|капел*",
        "zh": "滴",
        "vi": "giọt",
        "ar": "قطرة²|قطرات|نقطة²|نقاط",
    },
    "puff": {
        "en": "puff*|inhalation*|spray*",
        "es": "inhalaci*|pulsaci*|puff*",
        "fr": "bouffée*|pulvérisation*|inhalation*",
        "pt": "jato*|inalaç*|borrifada*",
        "ru": "вдох*|впрыск*",
        "zh": "喷|揿",
        "vi": "nhát xịt|lần xịt|nhát",
        "ar": "بخة²|بخات|نفخة²|نفخات",
    },
    "sachet": {
        "en": "sachet*|packet*",
        "es": "sobre*",
        "fr": "sachet*",
        "pt": "sachê*|envelope*",
        "ru": "пакетик*|саше",
        "zh": "袋|包",
        "vi": "gói",
        "ar": "كيس²|أكياس",
    },
    "patch": {
        "en": "patch|patches",
        "es": "parche*",
        "fr": "patch|patchs|timbre*",
        "pt": "adesivo*",
        "ru": "пластыр*",
        "zh": "贴剂|贴片",
        "vi": "miếng dán|miếng",
        "ar": "لصقة²|لصقات|لاصقة²|لاصقات",
    },
    "dose": {
        "en": "dose*",
        "es": "dosis",
        "fr": "dose*",
        "pt": "dose*",
        "ru": "доз*",
        "zh": "剂",
        "vi": "liều",
        "ar": "جرعة²|جرعات",
    },
    "times": {
        "en": "time|times|once=1|twice=2|thrice=3",
        "es": "vez|veces",
        "fr": "fois",
        "pt": "vez|vezes",
        "ru": "раз|раза|дважды=2|трижды=3",
        "zh": "次",
        "vi": "lần",
        "ar": "مرة²|مرات",
    },
    "minute": {
        "en": "minute*|min|mins",
        "es": "minuto*|min",
        "fr": "minute*|min",
        "pt": "minuto*|min",
        "ru": "минут*|мин",
        "zh": "分钟",
        "vi": "phút",
        "ar": "دقيقة²|دقائق|دقيقه",
    },
    "hour": {
        "en": "hour*|hr|hrs|h",
        "es": "hora*|h",
        "fr": "heure*|h",
        "pt": "hora*|h",
        "ru": "час|часа|часов|часы|ч",
        "zh": "小时|个小时|钟头|个钟头",
        "vi": "giờ|tiếng",
        "ar": "ساعة²|ساعات",
    },
    "day": {
        "en": "day|days",
        "es": "día*|dia*",
        "fr": "jour*|journée*",
        "pt": "dia*",
        "ru": "день|дня|дней|дни|сут*",
        "zh": "天|日",
        "vi": "ngày",
        "ar": "يوم²|أيام|ايام|يوما",
    },
    "week": {
        "en": "week*",
        "es": "semana*",
        "fr": "semaine*",
        "pt": "semana*",
        "ru": "недел*",
        "zh": "周|星期|个星期|个周",
        "vi": "tuần",
        "ar": "أسبوع²|أسابيع|أسبوعا|اسبوع²",
    },
    "month": {
        "en": "month*",
        "es": "mes|meses",
        "fr": "mois",
        "pt": "mês|meses",
        "ru": "месяц*",
        "zh": "个月",
        "vi": "tháng",
        "ar": "شهر²|أشهر|شهور|شهرا",
    },
    "year": {
        "en": "year*",
        "es": "año*",
        "fr": "an|ans|année*",
        "pt": "ano|anos",
        "ru": "год|года|лет|годы|году",
        "zh": "年|岁|周岁",
        "vi": "năm|tuổi",
        "ar": "سنة²|سنوات|سنين|عام²|أعوام|عاما",
    },
}

#: Words for one half, read like a number ("half a tablet", "medio comprimido", "nửa viên").
HALF: dict[str, str] = {
    "en": "half",
    "es": "medio|media|mitad",
    "fr": "demi|demie|moitié",
    "pt": "meio|meia|metade",
    "ru": "половина|половину|половины|половиной|половине|половинку|половинки|половинкой|пол",
    "vi": "nửa",
    "ar": "نصف",
}

#: Words for one quarter, read like a number ("a quarter of a tablet", "un cuarto de comprimido", "một phần tư
#: viên"); Chinese writes it 四分之一. Spanish and Portuguese "cuarto"/"quarto" is also "fourth" and "room": a quarter
#: only before "de".
QUARTER: dict[str, str] = {
    "en": "quarter",
    "es": "cuarto de",
    "fr": "quart",
    "pt": "quarto de",
    "ru": "четверть|четверти|четвертью",
    "vi": "phần tư",
    "ar": "ربع",
}

#: Words for one and a half, where a language has its own ("полторы таблетки").
ONE_AND_A_HALF: dict[str, str] = {"ru": "полтора|полторы|полутора"}

#: After a number or a unit, "and a half" adds 0.5 ("un comprimido y medio", "hai ngày rưỡi", "ساعة ونصف").
AND_A_HALF: dict[str, str] = {
    "en": "and a half",
    "es": "y medio|y media",
    "fr": "et demi|et demie",
    "pt": "e meio|e meia",
    "vi": "rưỡi",
    "ar": "ونصف|و نصف|ونصفا",
    "zh": "半",
}

#: Phrases that say a quantity without a number. Every other day is every 2 days ("cada dos días", "每两天",
#: "كل يومين" are read from their numbers); a translation that says "every day" loses the 2.
ALTERNATE_DAYS: dict[str, str] = {
    "en": "every other day|every second day|on alternate days|alternate days|every alternate day|alternate-day",
    "es": "días alternos|en días alternos|un día sí y otro no|un día sí y un día no|un día sí, otro no|día por medio",
    "fr": "un jour sur deux|un jour sur 2|jours alternés|un jour sur l'autre",
    "pt": "dias alternados|em dias alternados|dia sim, dia não|dia sim dia não|dia sim e dia não|dia sim e outro não",
    "ru": "через день|через сутки",
    "zh": "隔日|隔天|每隔一天|隔一天|每隔一日",
    "vi": "cách ngày|cách nhật|cách một ngày",
    "ar": "يوم ويوم لا|يوما ويوما لا|يوم بعد يوم|يوما بعد يوم|يوما بعد آخر",
}
#: Phrases that name two doses without a number ("leave 4 hours between doses"): a translation may say the number
#: ("两次服药间隔至少4小时", "Hai liều cách nhau") or not.
BETWEEN_DOSES: dict[str, str] = {
    "en": "between doses|between two doses|between the two doses|between the doses|between each dose",
}

#: Small words allowed between a number and its counted noun ("half of a tablet", "la mitad de un comprimido").
FILLERS: dict[str, str] = {
    "en": "a|an|of|the",
    "es": "de|del|un|una",
    "fr": "de|d|du|un|une",
    "pt": "de|do|da|um|uma",
}

#: Between two numbers, makes a range ("10–15", "10 to 15"); ``AND`` does too after a ``BETWEEN`` word.
RANGE: dict[str, str] = {
    "*": "-|–|—|~|～|‒",
    "en": "to",
    "es": "a|al|hasta",
    "fr": "à|a|au",
    "pt": "a|até",
    "ru": "до",
    "zh": "至|到",
    "vi": "đến|tới",
    "ar": "إلى|الى|حتى",
}
AND: dict[str, str] = {
    "en": "and",
    "es": "y|e",
    "fr": "et",
    "pt": "e",
    "ru": "и",
    "zh": "和|与",
    "vi": "và",
    "ar": "و",
}
BETWEEN: dict[str, str] = {
    "en": "between",
    "es": "entre",
    "fr": "entre",
    "pt": "entre",
    "ru": "между",
    "zh": "在|介于",
    "vi": "giữa|khoảng",
    "ar": "بين",
}
#: "from N to N": the same number twice makes an interval, "de 12 em 12 horas" is every 12 hours.
REPEAT: dict[str, tuple[str, str]] = {"es": ("de", "en"), "pt": ("de", "em")}
#: Between two numbers, shares the unit without making a range ("2 or 3 tablets").
OR: dict[str, str] = {
    "*": "/",
    "en": "or",
    "es": "o|u|ó",
    "fr": "ou",
    "pt": "ou",
    "ru": "или",
    "zh": "或",
    "vi": "hoặc",
    "ar": "أو|او",
}

#: Words before a number that give it a role: "max" an upper bound ("at most", "under"), "min" a lower bound ("at
#: least", "over"), "start" a starting dose. "more" is a lower bound unless a
#: negation governs it (``negation``): "more than 2 weeks" is a lower bound, "do not take more than 4 g" an upper
#: one. "every" (an interval), "for" (a duration) and "after" (a delay) count only right before a time: "every 6
#: hours", "after 7 days" (in Chinese after it, ``POST_CUES``: "7天后").
CUES: dict[str, dict[str, str]] = {
    "en": {
        "max": "at most|up to|no more than|not more than|maximum of|maximum|max|not to exceed|no higher than|limit of"
        "|less than|fewer than|under|below|younger than|lower than",
        "min": "at least|no less than|not less than|minimum of|minimum|no fewer than|over|above|older than",
        "more": "more than|greater than|exceed|exceeding|exceeds|higher than|longer than",
        "start": "start with|starting with|starting dose of|starting dose|initial dose of|initial dose|begin with",
        "every": "every|each",
        "for": "for|during",
        "after": "after",
    },
    "es": {
        "max": "como máximo|máximo de|máximo|máxima|hasta|no más de|no más que|a lo sumo|sin superar|sin exceder"
        "|menos de|menores de|menor de|inferior a|por debajo de",
        "min": "como mínimo|mínimo de|al menos|por lo menos|mínimo|no menos de|mayores de|mayor de|por encima de",
        "more": "más de|más que|superior a|supere|superar|exceda|exceder",
        "start": "empiece con|empiece por|comience con|comience por|empezar con|comenzar con|dosis inicial de"
        "|dosis inicial|inicie con",
        "every": "cada",
        "for": "durante|por",
        "after": "después de|a partir de|a partir de los|a partir de las|al cabo de|tras",
    },
    "fr": {
        "max": "au maximum|au plus|maximum|maximale|maximal|jusqu'à|pas plus de|sans dépasser"
        "|moins de|inférieur à|inférieure à|en dessous de|au-dessous de",
        "min": "au moins|au minimum|minimum|pas moins de|au-dessus de",
        "more": "plus de|au-delà de|supérieur à|supérieure à|dépassez|dépasser|dépasse|dépassant|excédant|excéder"
        "|plus longtemps que",
        "start": "commencez par|commencez avec|commencer par|dose initiale de|dose initiale|dose de départ|débutez par",
        "every": "toutes les|tous les|chaque",
        "for": "pendant|durant",
        "after": "après|au bout de|à partir de",
    },
    "pt": {
        "max": "no máximo|até|máximo de|máximo|máxima|não mais de|não mais que|sem ultrapassar|sem exceder"
        "|menos de|menores de|menor de|abaixo de|inferior a",
        "min": "no mínimo|pelo menos|mínimo de|ao menos|maiores de|maior de|acima de",
        "more": "mais de|mais que|superior a|ultrapasse|ultrapassar|ultrapassando|exceda|exceder|excedendo",
        "start": "comece com|comece por|começar com|dose inicial de|dose inicial|inicie com",
        "every": "a cada|cada",
        "for": "durante|por",
        "after": "após|depois de|a partir de|ao fim de",
    },
    "ru": {
        "max": "не более|не больше|максимум|максимальная|максимальной|максимальную|максимальный|до|не выше|не превышая"
        "|менее|меньше|младше|ниже",
        "min": "не менее|не меньше|минимум|как минимум|по крайней мере|хотя бы|старше|свыше",
        "more": "более|больше|выше|превышайте|превышать|превышая|превышающей|превышающий|дольше",
        "start": "начните с|начинайте с|начинать с|начальная доза составляет|начальная доза",
        "every": "каждые|каждый|каждую|каждое",
        "for": "в течение|на протяжении|на срок",
        "after": "через|спустя",
    },
    "zh": {
        "max": "最多|至多|不超过|不要超过|不得超过|切勿超过|最大剂量|最高|上限|少于|低于|小于|不足|未满",
        "min": "至少|最少|不少于|不低于",
        "more": "超过|大于|高于|多于",
        "start": "起始剂量|初始剂量|开始时|首次",
        "every": "每|每隔",
        "for": "持续|连续",
        "after": "过了",
    },
    "vi": {
        "max": "tối đa|không quá|không vượt quá|nhiều nhất|lên đến|lên tới|dưới|ít hơn|nhỏ hơn|chưa đến",
        "min": "tối thiểu|ít nhất|không dưới|trên",
        "more": "hơn|quá|vượt quá|lớn hơn",
        "start": "bắt đầu với|bắt đầu bằng|bắt đầu từ|liều khởi đầu|liều ban đầu|khởi đầu với",
        "every": "mỗi|cứ",
        "for": "trong|trong vòng|suốt",
        "after": "sau|sau khi",
    },
    "ar": {
        "max": "على الأكثر|كحد أقصى|بحد أقصى|حد أقصى|القصوى|الأقصى|أقصاها|لا يزيد عن|لا تزيد عن|لا يتجاوز|لا تتجاوز"
        "|أقل من|اقل من|أدنى من|دون|تحت|أصغر من|حتى|ما يصل إلى|تقل أعمارهم عن|يقل عمره عن|يقل عمرهم عن",
        "min": "على الأقل|كحد أدنى|بحد أدنى|لا يقل عن|لا تقل عن|فوق|أكبر من|تزيد أعمارهم عن|يزيد عمره عن",
        "more": "أكثر من|اكثر من|أعلى من|يتجاوز|تتجاوز|تزيد عن|يزيد عن|تزيد على|يزيد على",
        "start": "ابدأ ب|ابدئي ب|ابدأ بجرعة|الجرعة الأولية|جرعة أولية|الجرعة المبدئية|جرعة البدء",
        "every": "كل",
        "for": "لمدة|طوال",
        "after": "بعد",
    },
}

#: Small words that may come, besides the verb, between a negation and the "more than" it makes an upper bound:
#: "do not use it for more than 3 days", "no lo use durante más de 3 días". With other words between them the bound
#: may go either way ("ne convient pas aux enfants de plus de 12 ans").
GOVERNED_GAP: dict[str, str] = {
    "en": "it|them|this|that|these|those|for|during|any|the|a|an|in|over|total|of",
    "es": "lo|la|los|las|le|les|se|durante|por|en|un|una|el|a|de",
    "fr": "le|la|les|l|pendant|durant|en|un|une|pas|de|plus",
    "pt": "o|a|os|as|por|durante|em|um|uma|de|se",
    "ru": "его|её|ее|их|это|в|течение|на|по|за",
    "vi": "thuốc|trong|nó|này|dùng|uống",
    "ar": "لمدة|في|من|خلال",
}

#: Words right after a number (and its unit) that give it a role: "12 years and older", "12岁以下", "فأكثر".
POST_CUES: dict[str, dict[str, str]] = {
    "en": {
        "min": "or more|or older|or over|and older|and over|and above",
        "max": "or less|or fewer|or younger|at most",
        "after": "after|later|afterwards",
    },
    "es": {"min": "o más|como mínimo", "max": "o menos|como máximo", "after": "después|más tarde"},
    "fr": {"min": "ou plus|et plus|au moins", "max": "ou moins|au maximum|au plus", "after": "après|plus tard"},
    "pt": {"min": "ou mais|no mínimo", "max": "ou menos|no máximo", "after": "depois|após|mais tarde"},
    "ru": {"min": "и более|и старше|или более", "max": "и менее|и младше|или менее", "after": "спустя|позже|после"},
    "zh": {"min": "以上|或以上|及以上", "max": "以下|以内|或以下|及以下", "start": "开始|起", "after": "后|以后|之后"},
    "vi": {"min": "trở lên", "max": "trở xuống|tối đa", "after": "sau|sau đó"},
    "ar": {
        "min": "فأكثر|أو أكثر|وما فوق|على الأقل|كحد أدنى|بحد أدنى",
        "max": "فأقل|أو أقل|كحد أقصى|بحد أقصى|على الأكثر",
    },
}

#: Negations: they make "more than" an upper bound when among the two words before it ("do not take more than",
#: "لا تتناول أكثر من"; in Chinese a ``+`` prohibition anywhere before it in the clause, "请勿在一天内服用超过") and
#: are compared between source and translation (a lost "do not" is an error). Only words that negate what a patient
#: does; ``!`` lists look-alikes that are not negations ("no obstante", "不同", "لا يزال", "không khí") and the
#: fixed terms that contain one ("antiinflamatorios no esteroideos"). Read with ``phrases``.
NEGATIONS: dict[str, str] = {
    "en": "not|no|never|nor|neither|none|nothing|nobody|nowhere|cannot|can't|don't|doesn't|didn't|won't|isn't"
    "|aren't|wasn't|weren't|haven't|hasn't|hadn't|shouldn't|mustn't|wouldn't|couldn't|needn't"
    "|!not only|!not just|!non-steroidal|!nonsteroidal|!no matter|!do not forget|!don't forget|!never forget",
    "es": "no|nunca|jamás|ni|tampoco|ningún|ninguna|ninguno|nada|nadie"
    "|!no obstante|!no solo|!no sólo|!no solamente|!no esteroide*|!no invasiv*|!no olvide*|!no se olvide*|!no olvides"
    "|!no te olvides|!no olvidar|!nunca olvide|!y otro no|!y un día no|!sí, otro no",
    "fr": "ne|n'|pas|jamais|aucun|aucune|aucunement|rien|ni|non|nullement|guère"
    "|!non seulement|!non stéroïdien*|!non invasi*|!pas à pas|!n'importe|!n'oubliez pas|!n'oublie pas"
    "|!ne pas oublier|!n'oubliez jamais",
    "pt": "não|nunca|jamais|nem|nenhum|nenhuma|nada|ninguém"
    "|!não obstante|!não só|!não apenas|!não somente|!não esteroid*|!não esteroide*|!não invasiv*|!não se esqueça*"
    "|!não esqueça*|!não esquecer|!nunca se esqueça|!dia não",
    "ru": "не|нет|ни|никогда|нельзя|ничего|ничто|никто|нисколько|ни в коем случае|!не только|!тем не менее|!не раз"
    "|!не забыва*|!не забуд*|!не забыть",
    "zh": "不|+不要|+不可|+不能|+不得|不应|不宜|不该|不用|不必|不准|不许|+勿|+请勿|+切勿|+禁止|+严禁|禁用|忌"
    "|没有|没|未能|尚未|从未|并非|无法|无需|无须|毋须|绝不|决不|从不|+千万不要|+别|!特别|!识别|!区别|!分别|!类别"
    "|!级别|!个别|!鉴别|!性别|!别人|!别的|!辨别|!告别|!差别|!离别|!别名|!别处"
    "|!不同|!不断|!不仅|!不但|!不少|!不久|!不过|!不论|!不管|!不错|!不良|!不适|!不可或缺|!不容忽视|!不容小觑"
    "|!不可避免|!不得不|!不外乎|!不亚于|!不免|!不禁|!不妨|!不止|!不时|!不停|!不乏|!不一而足|!差不多|!不知不觉"
    "|不适用|不适合|不适宜|!别忘|!不要忘|!请勿忘|!勿忘|!不忘|!千万不要忘|!切勿忘|!千万别忘",
    "vi": "không|đừng|chớ|chưa|chẳng|cấm|không được|không nên|không bao giờ|chẳng bao giờ|tuyệt đối không"
    "|!không khí|!không gian|!không ngừng|!không chỉ|!không những|!hay không|!không?|!hàng không|!không steroid"
    "|!không xâm lấn|!không kê đơn|!đừng quên|!không quên|!chớ quên|!đừng bao giờ quên",
    "ar": "لا|لم|لن|ليس|ليست|لست|لسنا|عدم|أبدا|إياك|ممنوع|يمنع|يحظر"
    "|!لا يزال|!لا تزال|!لا زال|!لا زالت|!لا سيما|!لاسيما|!لا بد|!لابد|!لا شك|!ما زال|!ما زالت|!لا تنس*"
    "|!ويوم لا|!ويوما لا",
}

#: Negations that also join what they negate to what comes before: "nor", "ni", "ولا". Each starts a negation of its
#: own: "No tome aspirina ni beba alcohol" negates two things, as "Do not take aspirin and do not drink alcohol" does.
NOR: dict[str, str] = {
    "en": "nor|neither",
    "es": "ni|tampoco",
    "fr": "ni",
    "pt": "nem",
    "ru": "ни",
    "zh": "也不|也不要|也别|也勿|亦不|也没有",
    "vi": "cũng không|cũng đừng|cũng chớ",
    "ar": "ولا|ولم|ولن|وليس",
}

#: Words besides the negations that say "not" in other ways, by kind: a prohibition (``avoid``: "Avoid alcohol"
#: must stay a prohibition), ``stop``, ``without``, ``only``, ``except``, ``persist`` (persist, continue: "does not
#: go away") and the ``other`` ones (un-…, rarely, miss…). Each may stand for a negation of the other text ("Do not
#: drink alcohol" → "Evite el alcohol", "unclear" → "n'est pas claire", "If symptoms persist" → "Si los síntomas no
#: mejoran") — but only one the other text does not already render with a word of its own kind: "Do not stop …
#: without" → "Deje de … sin" lost its "not". ``!`` lists look-alikes ("until" is not an un-word).
NEGATIVE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "avoid": "avoid*|refrain*|prohibit*|forbid*|contraindicat*",
        "stop": "stop*|discontinu*|cease*|quit|interrupt*",
        "without": "without",
        "only": "only|merely|solely",
        "except": "except*|other than",
        "persist": "persist*|continu*",
        "other": "unless|instead|rather|rarely|seldom|hardly|barely|scarcely|lack*|fail*|absen*|free|*-free|miss*"
        "|forget*|forgot*|omit*|skip*|refus*|declin*|remain*|keep away|keep out|out of reach|out of the reach"
        "|away from|less|least|few|fewer|little|unlike|over-the-counter|over the counter|otc|un*|non*|*less"
        "|inconsistent*|inadequat*|ineffective*|insufficien*|inappropriat*|incorrect*|incomplet*|invalid*|inactiv*"
        "|intoleran*|inabilit*|incapab*|inconvenien*|infrequen*|invisib*|indirect*|impossib*|improper*|immobil*"
        "|immatur*|impractic*|imbalanc*|irregular*|irreversib*|irrelevan*|illegal*|illegib*|discomfort*|disabl*"
        "|disappear*|disapprov*|disadvantag*|disagree*|disregard*|dislik*|disallow*|dissatisf*|disrupt*"
        "|!until|!under*|!understand*|!unit|!units|!united|!universal*|!uniform*|!union*|!unique*|!universit*"
        "|!unto|!uncle*",
    },
    "es": {
        "avoid": "evit*|prohib*|desaconsej*|contraindicad*|abstenga*|abstenerse|absténgase",
        "stop": "suspend*|interrump*|deje de|dejar de|deja de|detenga*",
        "without": "sin",
        "only": "solo|sólo|solamente|únicamente",
        "except": "salvo|excepto|a menos que|sino",
        "persist": "persist*|continú*|continu*",
        "other": "en lugar de|en vez de|rara vez|raramente|apenas|libre de|fuera del alcance|lejos de",
    },
    "fr": {
        "avoid": "évit*|interdi*|proscri*|déconseill*|contre-indiqu*|abstenez*|s'abstenir",
        "stop": "arrêt*|cess*|interromp*",
        "without": "sans",
        "only": "seulement|uniquement",
        "except": "sauf|excepté|à moins",
        "persist": "persist*|continu*|poursuiv*",
        "other": "au lieu|plutôt que|rarement|hors de portée|hors de la portée|à l'écart",
    },
    "pt": {
        "avoid": "evit*|proib*|desaconselh*|contraindicad*|contra-indicad*|abstenha*",
        "stop": "interromp*|suspend*|pare|parar|pare de|deixe de|parar de|deixar de",
        "without": "sem",
        "only": "somente|apenas|só",
        "except": "exceto|salvo|a menos que|senão",
        "persist": "persist*|continu*",
        "other": "em vez de|ao invés de|raramente|fora do alcance|longe de|livre de",
    },
    "ru": {
        "avoid": "избега*|запрещ*|противопоказ*|воздерж*",
        "stop": "прекрат*|прекращ*",
        "without": "без",
        "only": "только|лишь",
        "except": "кроме|за исключением",
        "persist": "сохраня*|продолжа*|продолжи*",
        "other": "вместо|редко|недоступ*",
    },
    "zh": {
        "avoid": "避免|禁|忌",
        "stop": "停",
        "without": "未|无",
        "only": "只|仅",
        "except": "除非|除了|之外",
        "persist": "持续|继续|持续不|一直不",
        "other": "非|否|免|别|而非|远离",
    },
    "vi": {
        "avoid": "tránh",
        "stop": "ngưng|ngừng",
        "without": "mà không|mà chưa|thiếu",
        "only": "chỉ",
        "except": "trừ khi|ngoại trừ|trừ",
        "persist": "kéo dài|tiếp tục",
        "other": "thay vì|hiếm khi|ít khi|vô|phi|bất|xa tầm|ngoài tầm",
    },
    "ar": {
        "avoid": "تجنب*|امتنع*",
        "stop": "توقف*|التوقف*|أوقف*|إيقاف|الإيقاف",
        "without": "بدون|دون|بلا",
        "only": "فقط",
        "except": "إلا|عدا|باستثناء|سوى",
        "persist": "استمر*|يستمر*|تستمر*",
        "other": "غير|نادرا|بدلا|بعيدا|خالية|خال",
    },
}

#: Before a negation in its clause, words that make it expletive, not a negation: "avant que la douleur ne
#: devienne intense" is "before the pain becomes severe", "пока боль не стала сильной" is "until the pain became…".
EXPLETIVE: dict[str, str] = {
    "fr": "avant que|avant qu'|à moins que|à moins qu'|de peur que|de peur qu'|de crainte que|de crainte qu'",
    "ru": "пока",
}

#: After a negation, words that make it mean "only" ("لا … إلا", "لا … سوى", "no … sino"): not a negation then.
RESTRICTIVE: dict[str, str] = {
    "es": "sino|más que",
    "fr": "que|qu'",
    "pt": "senão",
    "ru": "кроме",
    "ar": "إلا|سوى",
}
