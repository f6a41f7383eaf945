"""QA v3 classes a hostile tester found after issue 21 (held out: these are other sentences of the same classes):
a held-out style table in every configured language.

Each source is a class. Misses: a frequency swap masked by the same frequency elsewhere in the sentence ("once a
week, the same day each week"), a day of the week turned daily, every other day turned daily, a frequency added to
a single dose, timing against meals swapped, noon and midnight swapped, a bound dropped or turned around ("at most
3 g" → "3 g"), a duration turned into a delay ("for 10 days" → "after 10 days"), a prohibition lost ("Avoid
alcohol" → "Drink alcohol"), a negation lost where both texts have the same other negative words ("Do not stop …
without" → "Stop … without"), a negation added where the source has words that only look negative (until, just).
False alarms: "Don't forget" for "Remember", a negation for "persist", a negated storage bound ("No conservar por
encima de 30 °C" for "Store below 30 °C"), noon and midnight in words, micrograms and litres in words, a quarter.
All entries are checked as reviewed (not fuzzy).
"""

from __future__ import annotations

import pytest

from qa_tables import Table, errors, failing, passing

SOURCES = {
    "weekday": "Take 4 tablets every Monday.",
    "same_week": "Apply 1 patch once a week, on the same day each week.",
    "alternate": "Give 1 tablet every other day.",
    "single": "Take a single dose of 2 g.",
    "before_meals": "Take 1 capsule before meals.",
    "empty": "Take 2 tablets on an empty stomach.",
    "midnight": "Take the last dose at midnight.",
    "noon": "Take 1 tablet at 12 pm.",
    "at_most": "Take at most 3 g a day.",
    "at_least": "Drink at least 2 litres of water a day.",
    "limit_days": "Do not use the spray for more than 5 days.",
    "for_days": "Use the gel for 10 days.",
    "mcg": "Take 200 micrograms once a day.",
    "quarter": "Give a quarter of a tablet.",
    "avoid": "Avoid alcohol while you take these tablets.",
    "stop_without": "Do not stop the treatment without asking your doctor.",
    "until_stop": "Continue the cream until your doctor tells you to stop.",
    "just_before": "Take it just before bedtime.",
    "remember": "Remember to shake the bottle.",
    "persist": "See a doctor if the cough persists.",
    "store": "Store below 30 °C.",
}

TABLE: Table = {
    "es": {
        "weekday": (
            ["Tome 4 comprimidos todos los lunes.", "Tome 4 comprimidos los lunes."],
            [("Tome 4 comprimidos cada día.", "schedule")],
        ),
        "same_week": (
            ["Aplique 1 parche una vez a la semana, el mismo día cada semana."],
            [("Aplique 1 parche una vez al día, el mismo día cada semana.", "schedule")],
        ),
        "alternate": (
            ["Dé 1 comprimido cada dos días.", "Dé 1 comprimido en días alternos.", "Dé 1 comprimido cada 2 días."],
            [("Dé 1 comprimido cada día.", "numbers"), ("Dé 1 comprimido al día.", "numbers")],
        ),
        "single": (["Tome una dosis única de 2 g."], [("Tome una dosis de 2 g al día.", "schedule")]),
        "before_meals": (
            ["Tome 1 cápsula antes de las comidas."],
            [("Tome 1 cápsula después de las comidas.", "schedule"), ("Tome 1 cápsula con las comidas.", "schedule")],
        ),
        "empty": (
            ["Tome 2 comprimidos en ayunas.", "Tome 2 comprimidos con el estómago vacío."],
            [("Tome 2 comprimidos con alimentos.", "schedule")],
        ),
        "midnight": (
            ["Tome la última dosis a medianoche.", "Tome la última dosis a las 0:00."],
            [("Tome la última dosis a mediodía.", "schedule"), ("Tome la última dosis a las 12:00.", "schedule")],
        ),
        "noon": (
            [
                "Tome 1 comprimido a las 12 del mediodía.",
                "Tome 1 comprimido a las 12:00.",
                "Tome 1 comprimido a mediodía.",
            ],
            [("Tome 1 comprimido a medianoche.", "schedule"), ("Tome 1 comprimido a las 0:00.", "schedule")],
        ),
        "at_most": (
            ["Tome como máximo 3 g al día.", "Tome hasta 3 g al día.", "No tome más de 3 g al día."],
            [("Tome 3 g al día.", "quantities"), ("Tome al menos 3 g al día.", "quantities")],
        ),
        "at_least": (
            ["Beba al menos 2 litros de agua al día.", "Beba como mínimo 2 litros de agua al día."],
            [
                ("Beba 2 litros de agua al día.", "quantities"),
                ("Beba como máximo 2 litros de agua al día.", "quantities"),
            ],
        ),
        "limit_days": (
            ["No use el aerosol durante más de 5 días.", "No utilice el aerosol más de 5 días."],
            [("Use el aerosol durante al menos 5 días.", "quantities")],
        ),
        "for_days": (
            ["Use el gel durante 10 días."],
            [("Use el gel después de 10 días.", "quantities"), ("Use el gel cada 10 días.", "quantities")],
        ),
        "mcg": (
            ["Tome 200 microgramos una vez al día.", "Tome 200 µg una vez al día."],
            [("Tome 200 miligramos una vez al día.", "units")],
        ),
        "quarter": (["Dé un cuarto de comprimido.", "Dé ¼ de comprimido."], [("Dé medio comprimido.", "numbers")]),
        "avoid": (
            ["Evite el alcohol mientras tome estos comprimidos.", "No beba alcohol mientras tome estos comprimidos."],
            [("Beba alcohol mientras tome estos comprimidos.", "negation")],
        ),
        "stop_without": (
            ["No interrumpa el tratamiento sin consultar a su médico."],
            [("Interrumpa el tratamiento sin consultar a su médico.", "negation")],
        ),
        "until_stop": (
            ["Continúe con la crema hasta que su médico le indique que la suspenda."],
            [("No continúe con la crema hasta que su médico le indique que la suspenda.", "negation")],
        ),
        "just_before": (["Tómelo justo antes de acostarse."], [("No lo tome justo antes de acostarse.", "negation")]),
        "remember": (
            ["No olvide agitar el frasco.", "Recuerde agitar el frasco."],
            [("No agite el frasco.", "negation")],
        ),
        "persist": (
            ["Consulte a un médico si la tos persiste.", "Consulte a un médico si la tos no desaparece."],
            [("No consulte a un médico si la tos persiste.", "negation")],
        ),
        "store": (
            ["Conservar por debajo de 30 °C.", "No conservar a más de 30 °C.", "No conservar por encima de 30 °C."],
            [("Conservar por encima de 30 °C.", "quantities")],
        ),
    },
    "fr": {
        "weekday": (
            ["Prenez 4 comprimés tous les lundis.", "Prenez 4 comprimés le lundi."],
            [("Prenez 4 comprimés tous les jours.", "schedule")],
        ),
        "same_week": (
            ["Appliquez 1 patch une fois par semaine, le même jour chaque semaine."],
            [("Appliquez 1 patch une fois par jour, le même jour chaque semaine.", "schedule")],
        ),
        "alternate": (
            ["Donnez 1 comprimé tous les deux jours.", "Donnez 1 comprimé un jour sur deux."],
            [("Donnez 1 comprimé chaque jour.", "numbers")],
        ),
        "single": (["Prenez une dose unique de 2 g."], [("Prenez une dose de 2 g par jour.", "schedule")]),
        "before_meals": (
            ["Prenez 1 gélule avant les repas."],
            [("Prenez 1 gélule après les repas.", "schedule"), ("Prenez 1 gélule pendant les repas.", "schedule")],
        ),
        "empty": (
            ["Prenez 2 comprimés à jeun.", "Prenez 2 comprimés l'estomac vide."],
            [("Prenez 2 comprimés au cours du repas.", "schedule")],
        ),
        "midnight": (
            ["Prenez la dernière dose à minuit.", "Prenez la dernière dose à 0 h."],
            [("Prenez la dernière dose à midi.", "schedule")],
        ),
        "noon": (
            ["Prenez 1 comprimé à midi.", "Prenez 1 comprimé à 12 h."],
            [("Prenez 1 comprimé à minuit.", "schedule")],
        ),
        "at_most": (
            ["Prenez au maximum 3 g par jour.", "Ne prenez pas plus de 3 g par jour."],
            [("Prenez 3 g par jour.", "quantities"), ("Prenez au moins 3 g par jour.", "quantities")],
        ),
        "at_least": (
            ["Buvez au moins 2 litres d'eau par jour."],
            [("Buvez 2 litres d'eau par jour.", "quantities")],
        ),
        "limit_days": (
            ["N'utilisez pas le spray plus de 5 jours.", "Ne pas utiliser le spray pendant plus de 5 jours."],
            [("Utilisez le spray pendant au moins 5 jours.", "quantities")],
        ),
        "for_days": (["Utilisez le gel pendant 10 jours."], [("Utilisez le gel après 10 jours.", "quantities")]),
        "mcg": (
            ["Prenez 200 microgrammes une fois par jour."],
            [("Prenez 200 milligrammes une fois par jour.", "units")],
        ),
        "quarter": (
            ["Donnez un quart de comprimé.", "Donnez ¼ de comprimé."],
            [("Donnez un demi-comprimé.", "numbers")],
        ),
        "avoid": (
            [
                "Évitez l'alcool pendant que vous prenez ces comprimés.",
                "Ne buvez pas d'alcool pendant que vous prenez ces comprimés.",
            ],
            [("Buvez de l'alcool pendant que vous prenez ces comprimés.", "negation")],
        ),
        "stop_without": (
            ["N'arrêtez pas le traitement sans l'avis de votre médecin."],
            [("Arrêtez le traitement sans l'avis de votre médecin.", "negation")],
        ),
        "until_stop": (
            ["Continuez la crème jusqu'à ce que votre médecin vous dise de l'arrêter."],
            [("Ne continuez pas la crème jusqu'à ce que votre médecin vous dise de l'arrêter.", "negation")],
        ),
        "just_before": (
            ["Prenez-le juste avant le coucher."],
            [("Ne le prenez pas juste avant le coucher.", "negation")],
        ),
        "remember": (
            ["N'oubliez pas d'agiter le flacon.", "Pensez à agiter le flacon."],
            [("N'agitez pas le flacon.", "negation")],
        ),
        "persist": (
            ["Consultez un médecin si la toux persiste.", "Consultez un médecin si la toux ne passe pas."],
            [("Ne consultez pas de médecin si la toux persiste.", "negation")],
        ),
        "store": (
            [
                "Conserver à une température inférieure à 30 °C.",
                "Ne pas conserver au-dessus de 30 °C.",
                "À conserver à une température ne dépassant pas 30 °C.",
            ],
            [("Conserver au-dessus de 30 °C.", "quantities")],
        ),
    },
    "pt_BR": {
        "weekday": (
            ["Tome 4 comprimidos toda segunda-feira.", "Tome 4 comprimidos às segundas-feiras."],
            [("Tome 4 comprimidos todos os dias.", "schedule")],
        ),
        "same_week": (
            ["Aplique 1 adesivo uma vez por semana, no mesmo dia de cada semana."],
            [("Aplique 1 adesivo uma vez por dia, no mesmo dia de cada semana.", "schedule")],
        ),
        "alternate": (
            ["Dê 1 comprimido a cada dois dias.", "Dê 1 comprimido em dias alternados."],
            [("Dê 1 comprimido todos os dias.", "numbers")],
        ),
        "single": (["Tome uma dose única de 2 g."], [("Tome uma dose de 2 g por dia.", "schedule")]),
        "before_meals": (
            ["Tome 1 cápsula antes das refeições."],
            [("Tome 1 cápsula depois das refeições.", "schedule")],
        ),
        "empty": (
            ["Tome 2 comprimidos em jejum.", "Tome 2 comprimidos com o estômago vazio."],
            [("Tome 2 comprimidos com alimentos.", "schedule")],
        ),
        "midnight": (
            ["Tome a última dose à meia-noite.", "Tome a última dose às 0h."],
            [("Tome a última dose ao meio-dia.", "schedule")],
        ),
        "noon": (
            ["Tome 1 comprimido ao meio-dia.", "Tome 1 comprimido às 12h."],
            [("Tome 1 comprimido à meia-noite.", "schedule")],
        ),
        "at_most": (
            ["Tome no máximo 3 g por dia.", "Não tome mais de 3 g por dia."],
            [("Tome 3 g por dia.", "quantities")],
        ),
        "at_least": (
            ["Beba pelo menos 2 litros de água por dia."],
            [("Beba 2 litros de água por dia.", "quantities")],
        ),
        "limit_days": (
            ["Não use o spray por mais de 5 dias."],
            [("Use o spray por pelo menos 5 dias.", "quantities")],
        ),
        "for_days": (
            ["Use o gel durante 10 dias.", "Use o gel por 10 dias."],
            [("Use o gel depois de 10 dias.", "quantities")],
        ),
        "mcg": (
            ["Tome 200 microgramas uma vez ao dia."],
            [("Tome 200 miligramas uma vez ao dia.", "units")],
        ),
        "quarter": (["Dê um quarto de comprimido.", "Dê ¼ de comprimido."], [("Dê meio comprimido.", "numbers")]),
        "avoid": (
            [
                "Evite bebidas alcoólicas enquanto toma estes comprimidos.",
                "Não beba álcool enquanto toma estes comprimidos.",
            ],
            [("Beba álcool enquanto toma estes comprimidos.", "negation")],
        ),
        "stop_without": (
            ["Não interrompa o tratamento sem falar com o seu médico."],
            [("Interrompa o tratamento sem falar com o seu médico.", "negation")],
        ),
        "until_stop": (
            ["Continue usando o creme até que o seu médico diga para parar."],
            [("Não continue usando o creme até que o seu médico diga para parar.", "negation")],
        ),
        "just_before": (["Tome logo antes de dormir."], [("Não tome logo antes de dormir.", "negation")]),
        "remember": (
            ["Não se esqueça de agitar o frasco.", "Lembre-se de agitar o frasco."],
            [("Não agite o frasco.", "negation")],
        ),
        "persist": (
            ["Procure um médico se a tosse persistir.", "Procure um médico se a tosse não passar."],
            [("Não procure um médico se a tosse persistir.", "negation")],
        ),
        "store": (
            ["Conservar abaixo de 30 °C.", "Não conservar acima de 30 °C."],
            [("Conservar acima de 30 °C.", "quantities")],
        ),
    },
    "ru": {
        "weekday": (
            ["Принимайте 4 таблетки каждый понедельник.", "Принимайте по 4 таблетки по понедельникам."],
            [("Принимайте 4 таблетки каждый день.", "schedule")],
        ),
        "same_week": (
            ["Наклеивайте 1 пластырь один раз в неделю, каждую неделю в один и тот же день."],
            [("Наклеивайте 1 пластырь один раз в день, каждую неделю в один и тот же день.", "schedule")],
        ),
        "alternate": (
            ["Давайте по 1 таблетке через день.", "Давайте по 1 таблетке каждые два дня."],
            [("Давайте по 1 таблетке каждый день.", "numbers")],
        ),
        "single": (["Примите 2 г однократно."], [("Принимайте по 2 г в сутки.", "schedule")]),
        "before_meals": (
            ["Принимайте по 1 капсуле перед едой.", "Принимайте по 1 капсуле до еды."],
            [("Принимайте по 1 капсуле после еды.", "schedule")],
        ),
        "empty": (["Принимайте 2 таблетки натощак."], [("Принимайте 2 таблетки во время еды.", "schedule")]),
        "midnight": (
            ["Примите последнюю дозу в полночь.", "Примите последнюю дозу в 00:00."],
            [("Примите последнюю дозу в полдень.", "schedule"), ("Примите последнюю дозу в 12:00.", "schedule")],
        ),
        "noon": (
            ["Примите 1 таблетку в полдень.", "Примите 1 таблетку в 12:00."],
            [("Примите 1 таблетку в полночь.", "schedule")],
        ),
        "at_most": (
            ["Принимайте не более 3 г в сутки."],
            [("Принимайте 3 г в сутки.", "quantities"), ("Принимайте не менее 3 г в сутки.", "quantities")],
        ),
        "at_least": (
            ["Выпивайте не менее 2 литров воды в день."],
            [("Выпивайте 2 литра воды в день.", "quantities")],
        ),
        "limit_days": (
            ["Не применяйте спрей более 5 дней.", "Не используйте спрей дольше 5 дней."],
            [("Применяйте спрей не менее 5 дней.", "quantities")],
        ),
        "for_days": (["Применяйте гель в течение 10 дней."], [("Применяйте гель через 10 дней.", "quantities")]),
        "mcg": (
            ["Принимайте 200 мкг один раз в день.", "Принимайте 200 микрограммов один раз в день."],
            [("Принимайте 200 мг один раз в день.", "units")],
        ),
        "quarter": (["Дайте четверть таблетки.", "Дайте ¼ таблетки."], [("Дайте половину таблетки.", "numbers")]),
        "avoid": (
            [
                "Избегайте алкоголя во время приёма этих таблеток.",
                "Не употребляйте алкоголь во время приёма этих таблеток.",
            ],
            [("Употребляйте алкоголь во время приёма этих таблеток.", "negation")],
        ),
        "stop_without": (
            ["Не прекращайте лечение без консультации с врачом."],
            [("Прекратите лечение без консультации с врачом.", "negation")],
        ),
        "until_stop": (
            ["Продолжайте наносить крем, пока врач не скажет прекратить."],
            [("Не продолжайте наносить крем, пока врач не скажет прекратить.", "negation")],
        ),
        "just_before": (
            ["Принимайте непосредственно перед сном."],
            [("Не принимайте непосредственно перед сном.", "negation")],
        ),
        "remember": (
            ["Не забудьте встряхнуть флакон.", "Обязательно встряхните флакон."],
            [("Не встряхивайте флакон.", "negation")],
        ),
        "persist": (
            ["Обратитесь к врачу, если кашель не проходит.", "Обратитесь к врачу, если кашель сохраняется."],
            [("Не обращайтесь к врачу, если кашель сохраняется.", "negation")],
        ),
        "store": (
            ["Хранить при температуре не выше 30 °C.", "Хранить при температуре ниже 30 °C."],
            [("Хранить при температуре выше 30 °C.", "quantities")],
        ),
    },
    "zh_Hans": {
        "weekday": (["每周一服用4片。", "每个星期一服用4片。"], [("每天服用4片。", "schedule")]),
        "same_week": (["每周贴1片贴剂，每周选同一天。"], [("每天贴1片贴剂，每周选同一天。", "schedule")]),
        "alternate": (["隔日给予1片。", "每两天给予1片。"], [("每天给予1片。", "numbers")]),
        "single": (["单次服用2克。"], [("每天服用2克。", "schedule")]),
        "before_meals": (["饭前服用1粒胶囊。"], [("饭后服用1粒胶囊。", "schedule")]),
        "empty": (["空腹服用2片。"], [("随餐服用2片。", "schedule")]),
        "midnight": (["最后一剂在午夜服用。", "最后一剂在0:00服用。"], [("最后一剂在中午服用。", "schedule")]),
        "noon": (
            ["中午12点服用1片。", "12:00服用1片。"],
            [("午夜服用1片。", "schedule"), ("晚上12点服用1片。", "schedule")],
        ),
        "at_most": (
            ["每天最多服用3克。", "每天不超过3克。"],
            [("每天服用3克。", "quantities"), ("每天至少服用3克。", "quantities")],
        ),
        "at_least": (["每天至少喝2升水。"], [("每天喝2升水。", "quantities")]),
        "limit_days": (
            ["喷雾剂连续使用不得超过5天。", "使用喷雾剂不要超过5天。"],
            [("喷雾剂至少使用5天。", "quantities")],
        ),
        "for_days": (["连续使用凝胶10天。"], [("10天后使用凝胶。", "quantities")]),
        "mcg": (["每天一次，每次200微克。"], [("每天一次，每次200毫克。", "units")]),
        "quarter": (["给予四分之一片。", "给予¼片。"], [("给予半片。", "numbers")]),
        "avoid": (
            ["服用这些药片期间避免饮酒。", "服用这些药片期间请勿饮酒。"],
            [("服用这些药片期间饮酒。", "negation")],
        ),
        "stop_without": (["未经医生同意，请勿停止治疗。"], [("未经医生同意即停止治疗。", "negation")]),
        "until_stop": (
            ["继续使用乳膏，直到医生让您停用为止。"],
            [("不要继续使用乳膏，直到医生让您停用为止。", "negation")],
        ),
        "just_before": (["在临睡前服用。"], [("不要在临睡前服用。", "negation")]),
        "remember": (["别忘了摇匀药瓶。", "请记得摇匀药瓶。"], [("不要摇晃药瓶。", "negation")]),
        "persist": (
            ["如果咳嗽持续，请就医。", "如果咳嗽一直不好，请就医。"],
            [("如果咳嗽持续，请不要就医。", "negation")],
        ),
        "store": (["请在30°C以下保存。", "储存温度不超过30°C。"], [("请在30°C以上保存。", "quantities")]),
    },
    "vi": {
        "weekday": (
            ["Uống 4 viên vào thứ hai hàng tuần.", "Uống 4 viên mỗi thứ hai."],
            [("Uống 4 viên mỗi ngày.", "schedule")],
        ),
        "same_week": (
            ["Dán 1 miếng mỗi tuần một lần, vào cùng một ngày mỗi tuần."],
            [("Dán 1 miếng mỗi ngày một lần, vào cùng một ngày mỗi tuần.", "schedule")],
        ),
        "alternate": (
            ["Cho uống 1 viên, cách ngày một lần.", "Cho uống 1 viên, hai ngày một lần."],
            [("Cho uống 1 viên mỗi ngày.", "numbers")],
        ),
        "single": (["Uống một liều duy nhất 2 g."], [("Uống 2 g mỗi ngày.", "schedule")]),
        "before_meals": (["Uống 1 viên nang trước bữa ăn."], [("Uống 1 viên nang sau bữa ăn.", "schedule")]),
        "empty": (["Uống 2 viên lúc đói."], [("Uống 2 viên trong bữa ăn.", "schedule")]),
        "midnight": (
            ["Uống liều cuối lúc nửa đêm.", "Uống liều cuối lúc 0 giờ."],
            [("Uống liều cuối lúc giữa trưa.", "schedule")],
        ),
        "noon": (
            ["Uống 1 viên lúc 12 giờ trưa.", "Uống 1 viên lúc 12:00."],
            [("Uống 1 viên lúc nửa đêm.", "schedule")],
        ),
        "at_most": (
            ["Uống tối đa 3 g mỗi ngày.", "Không uống quá 3 g mỗi ngày."],
            [("Uống 3 g mỗi ngày.", "quantities"), ("Uống ít nhất 3 g mỗi ngày.", "quantities")],
        ),
        "at_least": (["Uống ít nhất 2 lít nước mỗi ngày."], [("Uống 2 lít nước mỗi ngày.", "quantities")]),
        "limit_days": (["Không dùng thuốc xịt quá 5 ngày."], [("Dùng thuốc xịt ít nhất 5 ngày.", "quantities")]),
        "for_days": (["Dùng gel trong 10 ngày."], [("Dùng gel sau 10 ngày.", "quantities")]),
        "mcg": (
            ["Uống 200 microgam mỗi ngày một lần.", "Uống 200 mcg mỗi ngày một lần."],
            [("Uống 200 mg mỗi ngày một lần.", "units")],
        ),
        "quarter": (["Cho uống một phần tư viên.", "Cho uống ¼ viên."], [("Cho uống nửa viên.", "numbers")]),
        "avoid": (
            [
                "Tránh uống rượu trong khi dùng các viên thuốc này.",
                "Không uống rượu trong khi dùng các viên thuốc này.",
            ],
            [("Uống rượu trong khi dùng các viên thuốc này.", "negation")],
        ),
        "stop_without": (
            ["Không được ngừng điều trị mà không hỏi ý kiến bác sĩ."],
            [("Ngừng điều trị mà không hỏi ý kiến bác sĩ.", "negation")],
        ),
        "until_stop": (
            ["Tiếp tục bôi kem cho đến khi bác sĩ bảo ngừng."],
            [("Không tiếp tục bôi kem cho đến khi bác sĩ bảo ngừng.", "negation")],
        ),
        "just_before": (["Uống ngay trước giờ đi ngủ."], [("Không uống ngay trước giờ đi ngủ.", "negation")]),
        "remember": (["Đừng quên lắc chai thuốc.", "Nhớ lắc chai thuốc."], [("Không lắc chai thuốc.", "negation")]),
        "persist": (
            ["Hãy đi khám bác sĩ nếu ho kéo dài.", "Hãy đi khám bác sĩ nếu ho không khỏi."],
            [("Không cần đi khám bác sĩ nếu ho kéo dài.", "negation")],
        ),
        "store": (
            ["Bảo quản dưới 30 °C.", "Bảo quản ở nhiệt độ không quá 30 °C."],
            [("Bảo quản trên 30 °C.", "quantities")],
        ),
    },
    "ar": {
        "weekday": (
            ["تناول 4 أقراص كل يوم اثنين.", "تناول 4 أقراص أيام الاثنين."],
            [("تناول 4 أقراص كل يوم.", "schedule")],
        ),
        "same_week": (
            ["ضع لصقة واحدة مرة في الأسبوع، في اليوم نفسه من كل أسبوع."],
            [("ضع لصقة واحدة مرة في اليوم، في اليوم نفسه من كل أسبوع.", "schedule")],
        ),
        "alternate": (
            ["أعط قرصا واحدا كل يومين.", "أعط قرصا واحدا يوما بعد يوم."],
            [("أعط قرصا واحدا كل يوم.", "numbers")],
        ),
        "single": (["تناول جرعة واحدة مقدارها 2 غ."], [("تناول 2 غ يوميا.", "schedule")]),
        "before_meals": (["تناول كبسولة واحدة قبل الوجبات."], [("تناول كبسولة واحدة بعد الوجبات.", "schedule")]),
        "empty": (["تناول قرصين على معدة فارغة."], [("تناول قرصين مع الطعام.", "schedule")]),
        "midnight": (
            ["تناول الجرعة الأخيرة عند منتصف الليل.", "تناول الجرعة الأخيرة الساعة 00:00."],
            [("تناول الجرعة الأخيرة عند الظهر.", "schedule")],
        ),
        "noon": (
            ["تناول قرصا واحدا الساعة 12 ظهرا.", "تناول قرصا واحدا الساعة 12:00."],
            [("تناول قرصا واحدا عند منتصف الليل.", "schedule")],
        ),
        "at_most": (
            ["تناول 3 غ يوميا كحد أقصى.", "لا تتناول أكثر من 3 غ يوميا."],
            [("تناول 3 غ يوميا.", "quantities"), ("تناول 3 غ يوميا على الأقل.", "quantities")],
        ),
        "at_least": (
            ["اشرب ما لا يقل عن لترين من الماء يوميا.", "اشرب لترين على الأقل من الماء يوميا."],
            [("اشرب لترين من الماء يوميا.", "quantities")],
        ),
        "limit_days": (
            ["لا تستخدم البخاخ لأكثر من 5 أيام."],
            [("استخدم البخاخ لمدة 5 أيام على الأقل.", "quantities")],
        ),
        "for_days": (["استخدم الجل لمدة 10 أيام."], [("استخدم الجل بعد 10 أيام.", "quantities")]),
        "mcg": (
            ["تناول 200 ميكروغرام مرة واحدة يوميا."],
            [("تناول 200 ملغ مرة واحدة يوميا.", "units")],
        ),
        "quarter": (["أعط ربع قرص.", "أعط ¼ قرص."], [("أعط نصف قرص.", "numbers")]),
        "avoid": (
            ["تجنب الكحول أثناء تناول هذه الأقراص.", "لا تشرب الكحول أثناء تناول هذه الأقراص."],
            [("اشرب الكحول أثناء تناول هذه الأقراص.", "negation")],
        ),
        "stop_without": (["لا توقف العلاج دون استشارة طبيبك."], [("أوقف العلاج دون استشارة طبيبك.", "negation")]),
        "until_stop": (
            ["استمر في استخدام الكريم حتى يطلب منك طبيبك التوقف."],
            [("لا تستمر في استخدام الكريم حتى يطلب منك طبيبك التوقف.", "negation")],
        ),
        "just_before": (["تناوله قبل النوم مباشرة."], [("لا تتناوله قبل النوم مباشرة.", "negation")]),
        "remember": (["لا تنس رج الزجاجة.", "تذكر رج الزجاجة."], [("لا ترج الزجاجة.", "negation")]),
        "persist": (
            ["راجع الطبيب إذا استمر السعال.", "راجع الطبيب إذا لم يتحسن السعال."],
            [("لا تراجع الطبيب إذا استمر السعال.", "negation")],
        ),
        "store": (
            ["يحفظ في درجة حرارة أقل من 30 درجة مئوية.", "لا يحفظ في درجة حرارة تزيد عن 30 درجة مئوية."],
            [("يحفظ في درجة حرارة أعلى من 30 درجة مئوية.", "quantities")],
        ),
    },
}

PASSING = passing(TABLE)
FAILING = failing(TABLE)


@pytest.mark.parametrize(("language", "key", "translation"), PASSING)
def test_legitimate_forms_pass(language: str, key: str, translation: str) -> None:
    assert errors(SOURCES[key], language, translation) == []


@pytest.mark.parametrize(("language", "key", "translation", "check"), FAILING)
def test_each_swap_is_an_error(language: str, key: str, translation: str, check: str) -> None:
    assert check in {finding.check for finding in errors(SOURCES[key], language, translation)}


def test_every_language_has_every_class() -> None:
    for language, rows in TABLE.items():
        assert set(rows) == set(SOURCES), language
        assert all(passing and failing for passing, failing in rows.values()), language


@pytest.mark.parametrize(
    ("key", "language", "translation", "message"),
    [
        ("same_week", "es", "Aplique 1 parche una vez al día, el mismo día cada semana.", "the frequency differs"),
        ("weekday", "fr", "Prenez 4 comprimés tous les jours.", "every Monday → tous les jours: the frequency differs"),
        ("alternate", "ru", "Давайте по 1 таблетке каждый день.", "every other day: missing in the translation"),
        ("single", "es", "Tome una dosis de 2 g al día.", "al día: a frequency the source does not have"),
        ("before_meals", "zh_Hans", "饭后服用1粒胶囊。", "before meals → 饭后: the timing against meals differs"),
        ("at_most", "es", "Tome 3 g al día.", "3 g: an upper bound in the source, not in the translation"),
        (
            "for_days",
            "pt_BR",
            "Use o gel depois de 10 dias.",
            "10 days: a duration (for …) in the source, a delay (after …) in the translation",
        ),
        ("avoid", "vi", "Uống rượu trong khi dùng các viên thuốc này.", "Avoid alcohol: the negation is missing"),
    ],
)
def test_messages_name_what_changed(key: str, language: str, translation: str, message: str) -> None:
    messages = [finding.message for finding in errors(SOURCES[key], language, translation)]
    assert any(message in text for text in messages), messages


TWO_NEGATIONS = "Do not take aspirin and do not drink alcohol for 24 hours."


@pytest.mark.parametrize(
    ("language", "translation"),
    [
        ("es", "No tome aspirina ni beba alcohol durante 24 horas."),
        ("es", "No tome aspirina y evite el alcohol durante 24 horas."),  # the other said another way
        ("fr", "Ne prenez pas d'aspirine et ne buvez pas d'alcool pendant 24 heures."),
        ("fr", "Ne prenez pas d'aspirine ni ne buvez d'alcool pendant 24 heures."),
        ("pt_BR", "Não tome aspirina nem beba álcool durante 24 horas."),
        ("ru", "Не принимайте аспирин и не пейте алкоголь в течение 24 часов."),
        ("ru", "В течение 24 часов не принимайте ни аспирин, ни алкоголь."),
        ("zh_Hans", "24小时内请勿服用阿司匹林或饮酒。"),  # the negation carries over 或
        ("zh_Hans", "24小时内不要服用阿司匹林，也不要饮酒。"),
        ("vi", "Không uống aspirin và không uống rượu trong 24 giờ."),
        ("ar", "لا تتناول الأسبرين ولا تشرب الكحول لمدة 24 ساعة."),
    ],
)
def test_two_negations_said_together_or_apart_pass(language: str, translation: str) -> None:
    assert errors(TWO_NEGATIONS, language, translation) == []


@pytest.mark.parametrize(
    ("language", "translation"),
    [
        ("es", "No tome aspirina y beba alcohol durante 24 horas."),
        ("fr", "Ne prenez pas d'aspirine et buvez de l'alcool pendant 24 heures."),
        ("pt_BR", "Não tome aspirina e beba álcool durante 24 horas."),
        ("ru", "Не принимайте аспирин и пейте алкоголь в течение 24 часов."),
        ("zh_Hans", "24小时内不要服用阿司匹林，饮酒。"),
        ("vi", "Không uống aspirin và uống rượu trong 24 giờ."),
        ("ar", "لا تتناول الأسبرين واشرب الكحول لمدة 24 ساعة."),
    ],
)
def test_one_of_two_negations_lost_is_an_error(language: str, translation: str) -> None:
    messages = [finding.message for finding in errors(TWO_NEGATIONS, language, translation)]
    assert "not take … not drink: 2 negations in the source, 1 in the translation" in messages
