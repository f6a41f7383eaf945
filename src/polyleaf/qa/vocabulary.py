"""The words that give a number its role, per language: data, read by ``quantities``, ``schedule`` and ``negation``.

Fractions read like numbers ("half", "medio"), the words that join two numbers into a range or an alternative, and
the cues before or after a number that make it a bound, an interval or a duration. What a number counts is
``unit_vocabulary``; the words that say "not" are ``negation_vocabulary``.

Languages: the project's own (es, fr, pt, ru, zh, vi, ar) and the English source. Forms are separated by ``|``.
Lookups are case-insensitive; Arabic is read without its short vowels.
"""

from __future__ import annotations

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
