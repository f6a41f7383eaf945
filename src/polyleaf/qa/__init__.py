"""Translation quality checks that protect patients: quantities, schedules, negations, markup, terms, acronyms,
completeness, typography.

Every check is a plain function ``(source, target, context) -> list[str]`` returning one message per problem;
``registry.CHECKS`` registers it with an id, a default severity and a one-line explanation. ``check_entry`` runs
them all on one segment; ``check_catalog_entries`` turns a catalog's entries (``EntryView``) into ``path:line``
diagnostics. A fuzzy (unreviewed) entry gets each severity one step lower: only reviewed entries can block a
release.

**Quantities, not numbers.** Source and translation are read as quantities (``quantities.py``): a number (digits
of any script with the language's separators from Babel, ``½``/``¼``/``1/2``, Chinese numerals and 四分之一, or a
spelled-out number bound to what it counts, through num2words) with its unit or counted noun (mg, mcg, ml, l, °C,
%, tablets, drops, puffs, patches, times, minutes … years; ``vocabulary.py``, with plural and case endings and the
Arabic dual ``يومين`` = 2 days) and its role: the ends of a range (``10–15``, "between 5 and 10", "de 10 a 15")
and bounds given by words ("at most 20 mg", "under 12 years", "do not take more than 4 g" and "do not store above
25 °C" — negation understood —, "start with 5 mg", "12岁以下", "4 غ يوميا على الأقل"), an interval, a duration
and a delay ("every 8 hours", "for 7 days", "after 7 days", "7天后"). Phrases say quantities too: "every other day"
is every 2 days ("en días alternos", "через день", "隔日").

It catches: a number lost, added or changed (``numbers``; "1,000" read as one in Spanish; "every other day" →
"every day"); a dose that changed its unit, mg→g, or whose numbers were swapped between units, "2 tablets every 6
hours" → "6 … every 2 hours" (``units``); a reversed range "10–15" → "15–10", bounds or starting doses swapped,
"start with 5 mg, at most 20 mg" → "start with 20 mg, at most 5 mg", "every 8 hours" → "for 8 hours", "for 7
days" → "after 7 days", and a bound dropped, "do not take more than 8 tablets" → "take 8 tablets" (``quantities``:
a bound with a number is theirs, not the negation check's); how often, when and per what a dose is given, "daily"
→ "weekly", "every Monday" → "every day", "at night" → "in the morning", "8 pm" → "8 am", "12 pm" → "midnight",
"before meals" → "after meals", "on an empty stomach" → "with food", "10 mg/kg" → "10 mg", a frequency swapped
even where the sentence names the right one elsewhere ("once a week, the same day each week" → "once a day, the
same day each week"), and a frequency a single dose does not have ("a single dose of 3 g" → "3 g a day")
(``schedule``: ``schedule.py``, ``clock.py``); a negation or prohibition lost or added, "Do not take with
alcohol" → "Take with alcohol", "Avoid driving" → "Drive", "Do not stop … without" → "Stop … without" (the
without is the source's own), "Take it just before bed" → "Do not take it just before bed", one of two negations
lost, "Do not take aspirin and do not drink alcohol" → "No tome aspirina y beba alcohol" (``negation``). It
accepts ½ = half = una mitad = 0.5 = 1/2, ¼ = a quarter = un cuarto = một phần tư, 2,5 in decimal-comma languages,
Arabic-Indic and full-width digits, 两/二/半, spelled-out numbers, duals and clitics (قرصا واحدا، قرصا ونصف،
بثلاثين، خمس عشرة), 8 pm = 20:00 = 20 h = 20.00 = ٢٠:٠٠ = 8:00 م = 晚上8点, 12 am = midnight = medianoche = 午夜,
"ngày 2 lần" for twice a day, a negation said another way (请勿, "avoid", "sin"), "Don't forget" for "Remember", a
negation for "persist" ("no mejoran", "не проходят"), the French and Russian expletive negation ("avant que la
douleur ne devienne", "пока … не") and a negated storage bound ("ne dépassant pas 25 °C", "No conservar por
encima de 25 °C" for "Store below 25 °C").

It cannot catch — and these are choices, to keep correct translations from being withheld: a number written as a
word with nothing counted after it ("one in two people" reads as no number, so "1 in 2" → "uno de cada dos" is
reported as lost); a unit, counted noun, bound, meal or frequency word missing from the vocabulary (then the
number counts as unitless or without a role, and a swap involving it is missed; a bound the translation says in
unlisted words is reported dropped); a role given by sentence structure ("after 3 days, 2 tablets"); a bound
with other words between it and its negation, whose direction those words decide ("No conservar a temperatura
superior a 25 °C" may be at most or at least: either is accepted); a frequency dropped from a sentence that doses
nothing, or added where the source gives a time of day, a meal, a clock time or a period (the morning dose may
become "每天早上", "in 24 hours" "par 24 heures"); noon or midnight said in words with no clock time in the other
text (midday may be lunchtime); two clock times swapped between two doses of one sentence; a negation the
translation renders with a negative word of a kind the source also has, elsewhere (negative words are counted by
kind, not understood: "Do not take unless…" → "Tome solo si…, salvo…" is reported), and a negation added where the
two texts differ in another negative word ("Take only at night" → "No lo tome por la noche"), or one of two
negations lost where the translation joins the rest with "or" ("No tome aspirina o beba alcohol"; two negations
said as one, "No tome aspirina y alcohol", is reported); a conversion (500
mg → 0.5 g is reported); a quantity moved to another sentence.

**Release gates.** A reviewed translation identical to the English is an error unless the source is only terms,
numbers and symbols, or the entry is marked ``no-translate`` (a ``#,`` flag, or a translator comment line
``keep: reason``). An acronym the source gives in brackets must stay in brackets ("(LBP)" → "LBP" is an error).

**Waivers.** A reviewer waives one check on one entry with a translator comment line ``ignore-numbers: reason``
(or a flag ``#, ignore-numbers``, as in Weblate): its findings stay visible, as ``info`` and ``waived``, and no
longer block a release — as long as the English, the translation and the finding are those it was given for
(``waivers``).
"""
