"""The words that say "not", per language: data, read by ``negation`` (with ``phrases``).

Languages and forms as in ``vocabulary``: forms are separated by ``|``, lookups are case-insensitive and Arabic is
read without its short vowels.
"""

from __future__ import annotations

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
