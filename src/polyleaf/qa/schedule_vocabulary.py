"""The words that say when and how often a dose is given, per language: data, read by ``schedule`` and ``clock``.

Languages: the project's own (es, fr, pt, ru, zh, vi, ar) and the English source. Forms are separated by ``|`` and
read with ``phrases``: ``*`` for any ending (or beginning) of a word, ``!`` for a look-alike that is not the thing
("al día siguiente" is the next day, "tối đa" is "at most", not an evening). Two more marks for the schedule tables:
``+`` a form that says it only right after a quantity ("2 tablets a day", "2 таблетки в день"; elsewhere "a day"
may be just one day), ``~`` a form that may say it but never proves it ("一天" is one day or a day). A translation
may use either to render the source's word; only a form that says it for sure counts as a different one.
Arabic is read without its short vowels (``يوميًا`` is written ``يوميا``).
"""

from __future__ import annotations

#: How often, or per what, a dose is given: per hour, day, week, month, year, or per dose (each time).
FREQUENCIES: dict[str, dict[str, str]] = {
    "hour": {
        "en": "hourly|per hour|every hour|each hour|+an hour|/hour|/hr|/h",
        "es": "cada hora|por hora|+a la hora|/hora|/h",
        "fr": "par heure|chaque heure|toutes les heures|+de l'heure|/heure|/h",
        "pt": "por hora|a cada hora|cada hora|+à hora|/hora|/h",
        "ru": "ежечасн*|каждый час|+в час|/час|/ч",
        "zh": "每小时|每个小时|每一小时|每钟头|/小时|/h",
        "vi": "mỗi giờ|mỗi tiếng|hằng giờ|hàng giờ|/giờ|/h",
        "ar": "كل ساعة|لكل ساعة|+في الساعة|+بالساعة|/ساعة",
    },
    "day": {
        "en": "daily|per day|every day|each day|everyday|+a day|/day|/d|!the other day",
        "es": "diari*|cotidian*|por día|por dia|+al día|+al dia|cada día|cada dia|todos los días|todos los dias"
        "|/día|/dia|/d|!al día siguiente|!al dia siguiente|!al día de hoy|!estar al día|!poner al día",
        "fr": "quotidien*|journali*|journellement|par jour|chaque jour|tous les jours|par 24 heures|/jour|/j",
        "pt": "diári*|diari*|cotidian*|quotidian*|por dia|+ao dia|cada dia|a cada dia|todos os dias|dia a dia|/dia|/d"
        "|!no dia seguinte",
        "ru": "ежедневн*|повседневн*|суточн*|в сутки|каждый день|каждые сутки|+в день|/сут*|/день",
        "zh": "每天|每日|每一天|天天|日服|/天|/日|~一天|~一日|~日常|~一昼夜",
        "vi": "hàng ngày|hằng ngày|mỗi ngày|thường ngày|thường nhật|ngày ngày|/ngày|~một ngày|~trong ngày",
        "ar": "يومي|يوميا|يومية|اليومي|اليومية|في اليوم|كل يوم|لكل يوم|باليوم|/يوم",
    },
    "week": {
        "en": "weekly|per week|every week|each week|+a week|/week|/wk",
        "es": "semanal*|por semana|+a la semana|cada semana|todas las semanas|/semana",
        "fr": "hebdomadaire*|par semaine|chaque semaine|toutes les semaines|/semaine",
        "pt": "semanal*|por semana|+na semana|+à semana|cada semana|a cada semana|toda semana|todas as semanas|/semana",
        "ru": "еженедельн*|каждую неделю|+в неделю|/нед*",
        "zh": "每周|每星期|每个星期|每一周|每礼拜|/周|~一周|~一星期",
        "vi": "hàng tuần|hằng tuần|mỗi tuần|/tuần|~một tuần",
        "ar": "أسبوعي|أسبوعيا|أسبوعية|الأسبوعي|الأسبوعية|اسبوعي|اسبوعيا|في الأسبوع|كل أسبوع|لكل أسبوع|/أسبوع",
    },
    "month": {
        "en": "monthly|per month|every month|each month|+a month|/month",
        "es": "mensual*|por mes|+al mes|cada mes|todos los meses|/mes",
        "fr": "mensuel*|par mois|chaque mois|tous les mois|/mois",
        "pt": "mensal*|por mês|+ao mês|cada mês|a cada mês|todo mês|todos os meses|/mês",
        "ru": "ежемесячн*|каждый месяц|+в месяц|/мес*",
        "zh": "每月|每个月|每一个月|/月|~一个月",
        "vi": "hàng tháng|hằng tháng|mỗi tháng|/tháng|~một tháng",
        "ar": "شهري|شهريا|شهرية|الشهري|الشهرية|في الشهر|كل شهر|لكل شهر|/شهر",
    },
    "year": {
        "en": "yearly|annually|per year|every year|each year|+a year|/year",
        "es": "anual*|por año|+al año|cada año|todos los años|/año",
        "fr": "annuel*|par an|par année|chaque année|tous les ans|/an",
        "pt": "anual*|por ano|+ao ano|cada ano|a cada ano|todo ano|todos os anos|/ano",
        "ru": "ежегодн*|каждый год|+в год|/год",
        "zh": "每年|/年|~一年",
        "vi": "hàng năm|hằng năm|mỗi năm|/năm|~một năm",
        "ar": "سنوي|سنويا|سنوية|السنوي|السنوية|في السنة|في العام|كل سنة|كل عام|لكل سنة|/سنة",
    },
    "dose": {
        "en": "per dose|each dose|every dose|/dose|at a time|at one time|each time|every time|per application",
        "es": "por dosis|por toma|cada toma|en cada toma|cada dosis|cada vez|+por vez|de una vez|en una sola toma"
        "|/dosis|/toma",
        "fr": "par dose|par prise|chaque prise|à chaque prise|chaque fois|à chaque fois|à la fois|en une fois"
        "|en une seule prise|/prise|/dose",
        "pt": "por dose|por tomada|cada tomada|a cada tomada|em cada tomada|cada dose|de cada vez|cada vez|+por vez"
        "|de uma vez|/dose|/tomada",
        "ru": "на прием|на приём|за прием|за приём|за один прием|за один приём|за раз|разов*|на одну дозу",
        "zh": "每次|每剂|单次|/次|~一次",
        "vi": "mỗi lần|mỗi liều|/lần|/liều|~một lần",
        "ar": "لكل جرعة|في كل جرعة|كل جرعة|للجرعة الواحدة|في الجرعة الواحدة|في كل مرة|في المرة الواحدة|/جرعة",
    },
}

#: A dose given per kilogram of body weight, or per square metre of body surface: "10 mg/kg".
PER_BODY: dict[str, dict[str, str]] = {
    "kg": {
        "*": "/kg|/ kg",
        "en": "per kg|per kilogram|per kilo|a kilogram|/kilogram",
        "es": "por kg|por kilo*|por cada kg|por cada kilo*|/kilo*",
        "fr": "par kg|par kilo*|/kilo*",
        "pt": "por kg|por quilo*|por kilo*|por cada kg|/quilo*",
        "ru": "/кг|на кг|на килограмм*|на 1 кг|на каждый кг|на каждый килограмм*",
        "zh": "/公斤|/千克|每公斤|每千克|每kg|每一公斤",
        "vi": "mỗi kg|cho mỗi kg|trên mỗi kg|/kilôgam|/kilogam|mỗi kilôgam|mỗi kilogam",
        "ar": "/كغ|/كجم|/كغم|لكل كغ|لكل كجم|لكل كغم|لكل كيلوغرام|لكل كيلوجرام|لكل كيلو|لكل kg",
    },
    "m²": {
        "*": "/m²|/m2",
        "en": "per m²|per m2|per square met*",
        "es": "por m²|por m2|por metro cuadrado",
        "fr": "par m²|par m2|par mètre carré",
        "pt": "por m²|por m2|por metro quadrado",
        "ru": "/м²|/м2|на м²|на м2|на квадратный метр",
        "zh": "/平方米|每平方米",
        "vi": "mỗi m²|mỗi m2|trên mỗi m²",
        "ar": "/م²|/م2|لكل م²|لكل متر مربع",
    },
}

#: When in the day. A translation may say a neighbouring time (``NEIGHBOURS``): Spanish "noche" is the evening and
#: the night, "tarde" the afternoon and the early evening.
TIMES_OF_DAY: dict[str, dict[str, str]] = {
    "morning": {
        "en": "morning*|on waking|on rising|when you wake up|on getting up",
        "es": "la mañana|las mañanas|cada mañana|matutin*|al levantarse|al despertar*",
        "fr": "matin*|au réveil|au lever",
        "pt": "manhã|manhãs|matinal|ao acordar|ao levantar",
        "ru": "утр*|поутру|после пробуждения|после сна",
        "zh": "早上|早晨|上午|清晨|晨起|晨间|早间|每早|早饭|早餐|起床后",
        "vi": "buổi sáng|sáng sớm|mỗi sáng|ban sáng|~sáng",
        "ar": "صباح|صباحا|الصباح|صباحي*|الصباحي*|الصبح|عند الاستيقاظ|بعد الاستيقاظ",
    },
    "midday": {
        "en": "noon|midday|lunchtime|lunch time|at lunch",
        "es": "mediodía|medio día|la comida|el almuerzo",
        "fr": "midi|mi-journée|au déjeuner|!après-midi|!après midi",
        "pt": "meio-dia|meio dia|almoço",
        "ru": "полдень|полудн*|обед*|!после обеда|!после полудня",
        "zh": "中午|午间|正午|午饭|午餐",
        "vi": "buổi trưa|giữa trưa|bữa trưa|~trưa",
        "ar": "ظهرا|الظهيرة|منتصف النهار|وقت الظهر|الغداء|!بعد الظهر|!بعد الظهيرة",
    },
    "afternoon": {
        "en": "afternoon*",
        "es": "la tarde|las tardes|cada tarde|vespertin*",
        "fr": "après-midi|après midi",
        "pt": "à tarde|a tarde|pela tarde|de tarde|da tarde|as tardes|às tardes|toda tarde|todas as tardes|cada tarde"
        "|vespertin*",
        "ru": "днём|днем|после обеда|после полудня|во второй половине дня",
        "zh": "下午|午后",
        "vi": "buổi chiều|~chiều",
        "ar": "بعد الظهر|بعد الظهيرة|عصرا|العصر",
    },
    "evening": {
        "en": "evening*",
        "es": "anochecer|la cena",
        "fr": "soir|soirs|soirée*|au dîner|au diner",
        "pt": "anoitecer|jantar",
        "ru": "вечер*|ужин*",
        "zh": "傍晚|晚间|晚饭|晚餐|~晚",
        "vi": "buổi tối|mỗi tối|bữa tối|~tối|!tối đa|!tối thiểu|!tối ưu",
        "ar": "مساء|مساءا|المساء|مسائي*|المسائي*|العشاء",
    },
    "night": {
        "en": "night|nights|nightly|nighttime|night-time|overnight",
        "es": "noche*|nocturn*|madrugada",
        "fr": "nuit*|nocturne*",
        "pt": "noite*|noturn*|madrugada",
        "ru": "ноч*",
        "zh": "晚上|夜间|夜里|夜晚|半夜|每晚|入夜|~夜",
        "vi": "ban đêm|buổi đêm|về đêm|qua đêm|mỗi đêm|~đêm",
        "ar": "ليلا|الليل|ليلة|الليلة|ليلي*|الليلي*",
    },
    "bedtime": {
        "en": "bedtime|bed time|before bed|at bed|going to bed|go to bed|before sleep*|before you sleep",
        "es": "acostarse|antes de dormir|hora de dormir|ir a dormir|irse a dormir|ir a la cama",
        "fr": "coucher|avant de dormir|avant de vous endormir|aller au lit|aller dormir|avant le sommeil",
        "pt": "deitar|se deitar|antes de dormir|hora de dormir|ir dormir|ir para a cama",
        "ru": "перед сном|на ночь|ко сну|отходом ко сну",
        "zh": "睡前|临睡|就寝|睡觉前|入睡前|临睡前|睡觉时",
        "vi": "trước khi đi ngủ|trước khi ngủ|lúc đi ngủ|giờ đi ngủ|đi ngủ",
        "ar": "قبل النوم|وقت النوم|عند النوم|قبل الذهاب إلى النوم|عند الذهاب إلى الفراش|قبل الخلود إلى النوم",
    },
}

#: Times of day a translation may give for each other (not transitively: an afternoon is not a night).
NEIGHBOURS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (("afternoon", "evening"), ("evening", "night"), ("evening", "bedtime"), ("night", "bedtime"))
)

#: The hours of the clock (from, to; past 24 for after midnight) each time of day covers: "at 8 pm" is an evening.
HOURS: dict[str, tuple[int, int]] = {
    "morning": (4, 12),
    "midday": (11, 15),
    "afternoon": (12, 19),
    "evening": (17, 24),
    "night": (19, 30),
    "bedtime": (19, 27),
}

#: How a language writes the time on a clock. ``at``: before the hour, makes it a time on its own ("a las 8",
#: "الساعة ٨"); ``near``: before the hour, a time only with one of the others ("at 8 in the morning", "в 8 вечера");
#: ``oclock``: after the hour, a time on its own ("8 o'clock", "8点"); ``hours``: after it, a time or a duration
#: ("20 h" is 8 pm or twenty hours: a time only where the source has that time); ``am``/``pm``/``night``/``noon``:
#: the part of the day, after the hour (before it in Chinese), where ``+`` needs ``at``/``near``/``oclock``/``hours``
#: too, or is a time only where the source has it ("2 in the morning" may be two tablets); ``half``: half past;
#: ``minutes``: after the minutes.
CLOCK: dict[str, dict[str, str]] = {
    "en": {
        "near": "at|around|by|until|from|after|before",
        "oclock": "o'clock|oclock",
        "am": "am|a.m.|+in the morning",
        "pm": "pm|p.m.|+in the afternoon|+in the evening",
        "night": "+at night",
    },
    "es": {
        "at": "a las|a la|desde las|hasta las|hacia las|sobre las|de las",
        "hours": "h|horas|hs|hrs",
        "am": "a. m.|a.m.|am|+de la mañana|+de la madrugada",
        "pm": "p. m.|p.m.|pm|+de la tarde",
        "night": "+de la noche",
        "half": "y media",
        "minutes": "min|minutos",
    },
    "fr": {
        "near": "à|vers|dès|avant|après|jusqu'à",
        "hours": "h|heures|heure",
        "am": "+du matin",
        "pm": "+de l'après-midi|+du soir",
        "night": "+de la nuit",
        "half": "et demie",
        "minutes": "min|minutes",
    },
    "pt": {
        "at": "às|das|pelas",
        "near": "as|até as|até às|a partir das",
        "hours": "h|horas|hora",
        "am": "+da manhã|+da madrugada",
        "pm": "+da tarde",
        "night": "+da noite",
        "half": "e meia",
        "minutes": "min|minutos",
    },
    "ru": {
        "near": "в|к|около|до|после|с",
        "hours": "ч|час|часа|часов",
        "am": "+утра",
        "pm": "+дня|+вечера",
        "night": "+ночи",
        "minutes": "мин|минут|минуты",
    },
    "zh": {
        "oclock": "点钟|点|點鐘|點|时|時",
        "am": "上午|早上|早晨|清晨|凌晨|早",
        "pm": "下午|傍晚|晚上|晚间|晚",
        "noon": "中午",
        "night": "夜里|夜间|半夜|深夜",
        "half": "半",
        "minutes": "分",
    },
    "vi": {
        "at": "lúc|vào lúc",
        "near": "vào|khoảng|trước|sau|đến",
        "hours": "giờ|h",
        "am": "+sáng",
        "pm": "+chiều|+tối",
        "noon": "+trưa",
        "night": "+đêm",
        "half": "rưỡi",
        "minutes": "phút",
    },
    "ar": {
        "at": "الساعة|في الساعة|عند الساعة|حتى الساعة|بعد الساعة|قبل الساعة",
        "am": "+صباحا|+فجرا",
        "pm": "+مساء|+مساءا|+عصرا|+ظهرا",
        "night": "+ليلا",
        "half": "والنصف|و النصف|ونصف",
        "minutes": "دقيقة|دقائق",
    },
}

#: Hours written as ordinal words after "الساعة": "الساعة الثامنة مساءً" is 8 pm.
CLOCK_WORDS: dict[str, dict[str, int]] = {
    "ar": {
        "الواحدة": 1,
        "الثانية": 2,
        "الثالثة": 3,
        "الرابعة": 4,
        "الخامسة": 5,
        "السادسة": 6,
        "السابعة": 7,
        "الثامنة": 8,
        "التاسعة": 9,
        "العاشرة": 10,
        "الحادية عشرة": 11,
        "الثانية عشرة": 12,
    },
}
