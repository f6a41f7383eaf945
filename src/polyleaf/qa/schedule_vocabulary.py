"""The words that say when and how often a dose is given, per language: data, read by ``schedule`` and ``clock``.

Languages: the project's own (es, fr, pt, ru, zh, vi, ar) and the English source. Forms are separated by ``|`` and
read with ``phrases``: ``*`` for any ending (or beginning) of a word, ``!`` for a look-alike that is not the thing
("al día siguiente" is the next day, "tối đa" is "at most", not an evening). Three more marks for the schedule tables:
``+`` a form that says it only right after a quantity ("2 tablets a day", "2 таблетки в день"; elsewhere "a day"
may be just one day), ``>`` one that says it only right before one ("ngày 2 lần" is twice a day, "7 ngày" seven
days), ``~`` a form that may say it but never proves it ("一天" is one day or a day). A translation
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
        "ru": "ежедневн*|повседневн*|суточн*|в сутки|каждый день|каждые сутки|+в день|раз в день|раз в сутки"
        "|/сут*|/день",
        "zh": "每天|每日|每一天|天天|日服|/天|/日|~一天|~一日|~日常|~一昼夜",
        "vi": "hàng ngày|hằng ngày|mỗi ngày|thường ngày|thường nhật|ngày ngày|/ngày|~một ngày|~trong ngày|>ngày",
        "ar": "يومي|يوميا|يومية|اليومي|اليومية|في اليوم|كل يوم|لكل يوم|باليوم|/يوم|!في اليوم نفسه|!في اليوم ذاته",
    },
    "week": {
        "en": "weekly|per week|every week|each week|+a week|/week|/wk",
        "es": "semanal*|por semana|+a la semana|cada semana|todas las semanas|/semana",
        "fr": "hebdomadaire*|par semaine|chaque semaine|toutes les semaines|/semaine",
        "pt": "semanal*|por semana|+na semana|+à semana|cada semana|a cada semana|toda semana|todas as semanas|/semana",
        "ru": "еженедельн*|каждую неделю|+в неделю|раз в неделю|/нед*",
        "zh": "每周|每星期|每个星期|每一周|每礼拜|/周|~一周|~一星期",
        "vi": "hàng tuần|hằng tuần|mỗi tuần|/tuần|~một tuần",
        "ar": "أسبوعي|أسبوعيا|أسبوعية|الأسبوعي|الأسبوعية|اسبوعي|اسبوعيا|في الأسبوع|كل أسبوع|لكل أسبوع|/أسبوع",
    },
    # a day of the week: weekly in the source ("every Monday"); a translation may name the day any way it likes
    "weekday": {
        "en": "every monday|every tuesday|every wednesday|every thursday|every friday|every saturday|every sunday"
        "|on mondays|on tuesdays|on wednesdays|on thursdays|on fridays|on saturdays|on sundays",
        "es": "~lunes|~martes|~miércoles|~jueves|~viernes|~sábado*|~domingo*",
        "fr": "~lundi*|~mardi*|~mercredi*|~jeudi*|~vendredi*|~samedi*|~dimanche*",
        "pt": "~segunda-feira*|~terça-feira*|~quarta-feira*|~quinta-feira*|~sexta-feira*|~segundas|~terças|~quartas"
        "|~quintas|~sextas|~sábado*|~domingo*",
        "ru": "~понедельник*|~вторник*|~среду|~средам|~четверг*|~пятниц*|~суббот*|~воскресень*",
        "zh": "~周一|~周二|~周三|~周四|~周五|~周六|~周日|~星期一|~星期二|~星期三|~星期四|~星期五|~星期六|~星期日"
        "|~星期天",
        "vi": "~thứ hai|~thứ ba|~thứ tư|~thứ năm|~thứ sáu|~thứ bảy|~chủ nhật",
        "ar": "~الاثنين|~الثلاثاء|~الأربعاء|~الخميس|~الجمعة|~السبت|~الأحد|كل يوم اثنين|كل يوم ثلاثاء|كل يوم أربعاء"
        "|كل يوم خميس|كل يوم جمعة|كل يوم سبت|كل يوم أحد|كل اثنين|كل ثلاثاء|كل أربعاء|كل خميس|كل جمعة|كل سبت",
    },
    "month": {
        "en": "monthly|per month|every month|each month|+a month|/month",
        "es": "mensual*|por mes|+al mes|cada mes|todos los meses|/mes",
        "fr": "mensuel*|par mois|chaque mois|tous les mois|/mois",
        "pt": "mensal*|por mês|+ao mês|cada mês|a cada mês|todo mês|todos os meses|/mês",
        "ru": "ежемесячн*|каждый месяц|+в месяц|раз в месяц|/мес*",
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
        "ar": "ظهرا|الظهر|الظهيرة|منتصف النهار|وقت الظهر|الغداء|!بعد الظهر|!بعد الظهيرة",
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
        "en": "night|nights|nightly|nighttime|night-time|overnight|midnight",
        "es": "noche*|nocturn*|madrugada|medianoche",
        "fr": "nuit*|nocturne*|minuit",
        "pt": "noite*|noturn*|madrugada|meia-noite|meia noite",
        "ru": "ноч*|полноч*|полуноч*",
        "zh": "晚上|夜间|夜里|夜晚|半夜|每晚|入夜|午夜|子夜|~夜",
        "vi": "ban đêm|buổi đêm|về đêm|qua đêm|mỗi đêm|nửa đêm|giữa đêm|~đêm",
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

#: A dose's timing against meals. "with food" and "after meals" may render each other, and so may "before meals"
#: and "on an empty stomach" (``NEIGHBOURS``); "with or without food" is neither. Read with their own table:
#: "после обеда" is after lunch and an afternoon, "早饭后" after breakfast and a morning.
MEALS: dict[str, dict[str, str]] = {
    "before meals": {
        "en": "before meals|before a meal|before each meal|before food|before eating|before you eat|before breakfast"
        "|before lunch|before dinner|before supper|before your meal*",
        "es": "antes de las comidas|antes de cada comida|antes de la comida|antes de una comida|antes de comer"
        "|antes de los alimentos|antes del desayuno|antes del almuerzo|antes de la cena",
        "fr": "avant les repas|avant le repas|avant un repas|avant chaque repas|avant de manger|avant le petit-déjeuner"
        "|avant le petit déjeuner|avant le déjeuner|avant le dîner|avant le diner",
        "pt": "antes das refeições|antes da refeição|antes de uma refeição|antes de cada refeição|antes de comer"
        "|antes do café da manhã|antes do pequeno-almoço|antes do almoço|antes do jantar",
        "ru": "перед едой|до еды|перед приёмом пищи|перед приемом пищи|до приёма пищи|до приема пищи|перед завтраком"
        "|до завтрака|перед обедом|до обеда|перед ужином|до ужина",
        "zh": "饭前|餐前|进食前|吃饭前|用餐前|进餐前|早餐前|早饭前|午餐前|午饭前|晚餐前|晚饭前",
        "vi": "trước bữa ăn|trước các bữa ăn|trước mỗi bữa ăn|trước khi ăn|trước ăn|trước bữa sáng|trước bữa trưa"
        "|trước bữa tối",
        "ar": "قبل الوجبات|قبل الوجبة|قبل وجبة|قبل كل وجبة|قبل الأكل|قبل الطعام|قبل تناول الطعام"
        "|قبل الإفطار|قبل الفطور|قبل الغداء|قبل العشاء",
    },
    "after meals": {
        "en": "after meals|after a meal|after each meal|after food|after eating|after you eat|after you have eaten"
        "|after breakfast|after lunch|after dinner|after supper|after your meal*",
        "es": "después de las comidas|después de cada comida|después de la comida|después de una comida"
        "|después de comer|después de los alimentos|después del desayuno|después del almuerzo|después de la cena"
        "|tras las comidas|tras la comida|tras comer",
        "fr": "après les repas|après le repas|après un repas|après chaque repas|après avoir mangé"
        "|après le petit-déjeuner|après le petit déjeuner|après le déjeuner|après le dîner|après le diner",
        "pt": "após as refeições|após a refeição|após uma refeição|após cada refeição|após comer|depois das refeições"
        "|depois da refeição|depois de uma refeição|depois de cada refeição|depois de comer|após o café da manhã"
        "|depois do café da manhã|após o almoço|depois do almoço|após o jantar|depois do jantar",
        "ru": "после еды|после приёма пищи|после приема пищи|после завтрака|после обеда|после ужина",
        "zh": "饭后|餐后|进食后|吃饭后|用餐后|进餐后|早餐后|早饭后|午餐后|午饭后|晚餐后|晚饭后",
        "vi": "sau bữa ăn|sau các bữa ăn|sau mỗi bữa ăn|sau khi ăn|sau ăn|sau bữa sáng|sau bữa trưa|sau bữa tối",
        "ar": "بعد الوجبات|بعد الوجبة|بعد وجبة|بعد كل وجبة|بعد الأكل|بعد الطعام|بعد تناول الطعام"
        "|بعد الإفطار|بعد الفطور|بعد الغداء|بعد العشاء",
    },
    "with food": {
        "en": "with food|with meals|with a meal|with your meal*|with breakfast|with lunch|with dinner|with supper"
        "|during meals|during a meal|!with or without food|!with or without meals|!with or without a meal",
        "es": "con las comidas|con la comida|con comida|con alimentos|con los alimentos|con el desayuno|con el almuerzo"
        "|con la cena|durante las comidas|durante la comida|junto con las comidas|junto con alimentos"
        "|!con o sin alimentos|!con o sin comida|!con o sin las comidas|!con o sin los alimentos",
        "fr": "pendant les repas|pendant le repas|au cours des repas|au cours du repas|au cours d'un repas"
        "|au moment des repas|au moment du repas|avec de la nourriture|avec des aliments|avec les repas|avec un repas"
        "|!avec ou sans nourriture|!avec ou sans aliments|!pendant ou en dehors des repas"
        "|!au cours ou en dehors des repas",
        "pt": "com alimentos|com as refeições|com a refeição|com comida|durante as refeições|durante a refeição"
        "|junto com alimentos|junto com as refeições|junto às refeições|!com ou sem alimentos|!com ou sem comida",
        "ru": "во время еды|во время приёма пищи|во время приема пищи|с едой|с пищей|вместе с едой|вместе с пищей"
        "|во время завтрака|во время обеда|во время ужина|!независимо от приёма пищи|!независимо от приема пищи"
        "|!независимо от еды",
        "zh": "随餐|随饭|与食物同服|与食物一起|与餐同服|进餐时|用餐时|吃饭时|餐中"
        "|!与或不与食物|!随餐或空腹|!空腹或随餐",
        "vi": "trong bữa ăn|cùng bữa ăn|cùng với bữa ăn|với thức ăn|cùng thức ăn|cùng với thức ăn|trong khi ăn"
        "|!dù có ăn hay không",
        "ar": "مع الطعام|مع الوجبات|مع الوجبة|مع وجبة|مع الأكل|أثناء الأكل|أثناء الوجبات|أثناء تناول الطعام"
        "|!مع الطعام أو بدونه|!مع أو بدون طعام|!مع الطعام أو بدون طعام",
    },
    "empty stomach": {
        "en": "on an empty stomach|empty stomach|without food|between meals",
        "es": "en ayunas|con el estómago vacío|estómago vacío|sin alimentos|sin comida|entre comidas|entre las comidas",
        "fr": "à jeun|l'estomac vide|estomac vide|en dehors des repas|entre les repas|sans nourriture",
        "pt": "em jejum|estômago vazio|com o estômago vazio|entre as refeições|sem alimentos|sem comida",
        "ru": "натощак|на голодный желудок|на пустой желудок|между приёмами пищи|между приемами пищи|между едой",
        "zh": "空腹|两餐之间|餐间",
        "vi": "lúc đói|khi đói|bụng đói|lúc bụng đói|giữa các bữa ăn",
        "ar": "على معدة فارغة|معدة فارغة|على الريق|بين الوجبات|بدون طعام|دون طعام",
    },
}

#: Times of day, timings against meals and frequencies a translation may give for each other (not transitively: an
#: afternoon is not a night).
NEIGHBOURS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("afternoon", "evening"),
        ("evening", "night"),
        ("evening", "bedtime"),
        ("night", "bedtime"),
        ("with food", "after meals"),
        ("before meals", "empty stomach"),
        ("week", "weekday"),
    )
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
#: too, or is a time only where the source has it ("2 in the morning" may be two tablets; ``night`` with 12 is
#: midnight, 晚上12点); ``half``: half past; ``minutes``: after the minutes; ``midnight``, ``midday``: words that
#: are those times ("a medianoche" for "at 12 am"; "midday" may also be lunchtime, so neither is reported alone).
CLOCK: dict[str, dict[str, str]] = {
    "en": {
        "near": "at|around|by|until|from|after|before",
        "oclock": "o'clock|oclock",
        "am": "am|a.m.|+in the morning",
        "pm": "pm|p.m.|+in the afternoon|+in the evening",
        "night": "+at night",
        "midnight": "midnight",
        "midday": "noon|midday",
    },
    "es": {
        "at": "a las|a la|desde las|hasta las|hacia las|sobre las|de las",
        "hours": "h|horas|hs|hrs",
        "am": "a. m.|a.m.|am|+de la mañana|+de la madrugada",
        "pm": "p. m.|p.m.|pm|+de la tarde",
        "noon": "+del mediodía|+de mediodía",
        "night": "+de la noche",
        "half": "y media",
        "minutes": "min|minutos",
        "midnight": "medianoche",
        "midday": "mediodía|medio día",
    },
    "fr": {
        "near": "à|vers|dès|avant|après|jusqu'à",
        "hours": "h|heures|heure",
        "am": "+du matin",
        "pm": "+de l'après-midi|+du soir",
        "night": "+de la nuit",
        "half": "et demie",
        "minutes": "min|minutes",
        "midnight": "minuit",
        "midday": "midi",
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
        "midnight": "meia-noite|meia noite",
        "midday": "meio-dia|meio dia",
    },
    "ru": {
        "near": "в|к|около|до|после|с",
        "hours": "ч|час|часа|часов",
        "am": "+утра",
        "pm": "+дня|+вечера",
        "night": "+ночи",
        "minutes": "мин|минут|минуты",
        "midnight": "полночь|полуночи|полночью",
        "midday": "полдень|полудня|полуднем",
    },
    "zh": {
        "oclock": "点钟|点|點鐘|點|时|時",
        "am": "上午|早上|早晨|清晨|凌晨|早",
        "pm": "下午|傍晚",
        "noon": "中午",
        "night": "晚上|晚间|晚|夜里|夜间|半夜|深夜|午夜|子夜",
        "half": "半",
        "minutes": "分",
        "midnight": "午夜|子夜",
        "midday": "正午",
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
        "midnight": "nửa đêm|giữa đêm",
        "midday": "giữa trưa|chính ngọ",
    },
    "ar": {
        "at": "الساعة|في الساعة|عند الساعة|حتى الساعة|بعد الساعة|قبل الساعة",
        "am": "+صباحا|+فجرا|+ص",
        "pm": "+مساء|+مساءا|+عصرا|+ظهرا|+م",
        "night": "+ليلا",
        "midnight": "منتصف الليل",
        "midday": "منتصف النهار",
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
