"""The words of the advocacy report, per report language (not the interface language).

A report is written in the language of its readers (a UN committee, a ministry,
a partner network), whatever language the analyst's screen is in, and it is
annexed to other documents as a whole, so its own headings and method notes
are data here, as the complaint letters' are (``complaints/wording.py``).
Labels that come from data (act types, regions, outcomes) are translated by
``translation.override(language)`` when the report is built.
"""

from __future__ import annotations

from vigil.stats import report_wording_regional as regional

LANGUAGES = ("en", "ru", "uk", "ro", "ka", "kk", "ky", "be")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Documented violations: statistical report",
        "subtitle": "Police and state violence against women who use drugs",
        "organisation": "Organisation",
        "network": "Network",
        "network_members": "Organisations sharing aggregates",
        "period": "Period",
        "country": "Country",
        "all_countries": "All countries",
        "generated": "Generated on",
        "key_figures": "Key figures",
        "trend": "Trend by month",
        "act_types": "Act types",
        "main_categories": "Main categories",
        "detailed": "Detailed (as recorded)",
        "perpetrators": "Perpetrator types",
        "regions": "Regions",
        "response": "Response",
        "time_to_contact": "Time to first contact",
        "median_contact": "Median days to first contact",
        "legal_support": "Legal support",
        "legal_share": "Share of cases with legal support",
        "with_legal": "Cases with legal support",
        "without_legal": "Cases without legal support",
        "complaints": "Complaints and their outcomes",
        "complaints_scope": (
            "Legal actions filed with oversight bodies (internal police oversight, "
            "prosecutors, ombudsman, courts) in cases with consent to statistics: all "
            "filed up to the date of this report, not only in the period above."
        ),
        "filed": "Complaints filed",
        "answered": "Answered",
        "answered_on_time": "Answered on time",
        "median_answer": "Median days to an answer",
        "outcomes_by_body": "Outcomes by type of body",
        "body_type": "Type of body",
        "method": "Method notes",
        "unit_incidents": "Incidents",
        "unit_acts": "Acts (one victim, one type of act)",
        "unit_victims": "Victims (distinct people)",
        "unit_cases": "Cases",
        "unit_complaints": "Complaints",
        "counting_unit": "Counting unit: {unit}",
        "total": "Total",
        "hidden": "hidden",
        "not_recorded": "Not recorded",
        "nothing": "Nothing to show for this period.",
        "month": "Month",
        "act_type": "Act type",
        "perpetrator_type": "Perpetrator type",
        "region": "Region",
        "days": "Days to first contact",
        "band_0": "Same day",
        "band_1-2": "1–2 days",
        "band_3-7": "3–7 days",
        "band_8-30": "8–30 days",
        "band_31+": "More than 30 days",
        "note_units": (
            "Counting units. Incidents: distinct events. Acts: one victim suffering one "
            "type of act, so an incident with two victims, or with a beating and an "
            "extortion, counts several acts. Victims: distinct people who suffered at "
            "least one counted act. Every table names its unit. An incident with several "
            "perpetrator types or responses counts once in each, so such categories can add "
            "up to more than the total; totals are counted directly, never summed."
        ),
        "note_consent": (
            "Consent. Only recorded incidents whose victims consented to the use of their "
            "information in anonymised statistics are counted; drafts and incidents "
            "without that consent do not appear, not even in totals. The figures come from "
            "coded fields only: no name, contact, narrative or officer identity is used."
        ),
        "note_suppression": (
            "Small numbers. Any count from 1 to {below} is shown as “hidden” (threshold "
            "{threshold}). Further numbers are hidden where needed so that no hidden "
            "number can be worked out from the totals or the other cells (complementary "
            "suppression). Zero is shown. Each table is protected on its own."
        ),
        "note_coarsening": (
            "Dates and places. Incidents are counted by calendar month and by region; the "
            "period covers whole months ({start} to {end}). No exact date, town or address "
            "appears in this report."
        ),
        "note_network": (
            "Network. These figures combine the {count} organisations that chose to share "
            "aggregates with the network; no case data left them. An incident reported to "
            "more than one of them is counted once."
        ),
        "note_organisation": (
            "Scope. These figures cover the records of one organisation. When a network "
            "combines organisations, an incident reported to more than one of them is "
            "counted once."
        ),
        "note_response": (
            "Response. Time to first contact: days from the incident (or the day it was "
            "recorded) to the first intervention in a linked case. Legal support: legal "
            "advice, a complaint or a court case."
        ),
        "note_prevalence": (
            "Limits. These are cases documented by the organisations, not a measure of how "
            "often violence happens: many women never report it."
        ),
    },
    "ru": {
        "title": "Задокументированные нарушения: статистический отчёт",
        "subtitle": "Насилие со стороны полиции и государства в отношении женщин, "
        "употребляющих наркотики",
        "organisation": "Организация",
        "network": "Сеть",
        "network_members": "Организации, предоставляющие агрегированные данные",
        "period": "Период",
        "country": "Страна",
        "all_countries": "Все страны",
        "generated": "Дата составления",
        "key_figures": "Основные показатели",
        "trend": "Динамика по месяцам",
        "act_types": "Виды деяний",
        "main_categories": "Основные категории",
        "detailed": "Подробно (как записано)",
        "perpetrators": "Типы исполнителей",
        "regions": "Регионы",
        "response": "Реагирование",
        "time_to_contact": "Время до первого контакта",
        "median_contact": "Медиана дней до первого контакта",
        "legal_support": "Юридическая помощь",
        "legal_share": "Доля дел с юридической помощью",
        "with_legal": "Дела с юридической помощью",
        "without_legal": "Дела без юридической помощи",
        "complaints": "Жалобы и их результаты",
        "complaints_scope": (
            "Обращения в надзорные органы (служба собственной безопасности полиции, "
            "прокуратура, омбудсмен, суды) по делам с согласием на статистику: все "
            "поданные до даты составления отчёта, а не только за указанный период."
        ),
        "filed": "Подано жалоб",
        "answered": "Получен ответ",
        "answered_on_time": "Ответ в срок",
        "median_answer": "Медиана дней до ответа",
        "outcomes_by_body": "Результаты по типу органа",
        "body_type": "Тип органа",
        "method": "Методические примечания",
        "unit_incidents": "Инциденты",
        "unit_acts": "Деяния (одна пострадавшая, один вид деяния)",
        "unit_victims": "Пострадавшие (разные люди)",
        "unit_cases": "Дела",
        "unit_complaints": "Жалобы",
        "counting_unit": "Единица подсчёта: {unit}",
        "total": "Всего",
        "hidden": "скрыто",
        "not_recorded": "Не указано",
        "nothing": "За этот период данных нет.",
        "month": "Месяц",
        "act_type": "Вид деяния",
        "perpetrator_type": "Тип исполнителя",
        "region": "Регион",
        "days": "Дней до первого контакта",
        "band_0": "В тот же день",
        "band_1-2": "1–2 дня",
        "band_3-7": "3–7 дней",
        "band_8-30": "8–30 дней",
        "band_31+": "Более 30 дней",
        "note_units": (
            "Единицы подсчёта. Инциденты: отдельные события. Деяния: одна пострадавшая и "
            "один вид деяния, поэтому инцидент с двумя пострадавшими или с избиением и "
            "вымогательством даёт несколько деяний. Пострадавшие: разные люди, "
            "пострадавшие хотя бы от одного учтённого деяния. В каждой таблице указана "
            "единица подсчёта. Инцидент с несколькими типами исполнителей или видами "
            "помощи учитывается в каждом из них, поэтому сумма категорий может превышать "
            "итог; итоги подсчитываются напрямую, а не суммированием."
        ),
        "note_consent": (
            "Согласие. Учитываются только зарегистрированные инциденты, пострадавшие в "
            "которых согласились на использование сведений в обезличенной статистике; "
            "черновики и инциденты без такого согласия не учитываются даже в итогах. "
            "Показатели рассчитаны только по кодированным полям: имена, контакты, "
            "описания и данные сотрудников не используются."
        ),
        "note_suppression": (
            "Малые числа. Любое значение от 1 до {below} показано как «скрыто» (порог "
            "{threshold}). Где необходимо, скрыты и другие значения, чтобы скрытое число "
            "нельзя было вычислить по итогам или другим ячейкам (дополнительное "
            "подавление). Ноль показывается. Каждая таблица защищена отдельно."
        ),
        "note_coarsening": (
            "Даты и места. Инциденты учитываются по календарным месяцам и по регионам; "
            "период охватывает целые месяцы (с {start} по {end}). Точные даты, населённые "
            "пункты и адреса в отчёте не приводятся."
        ),
        "note_network": (
            "Сеть. Показатели объединяют данные {count} организаций, решивших "
            "предоставлять сети агрегированные данные; сведения о делах их не покидали. "
            "Инцидент, о котором сообщили нескольким из них, учитывается один раз."
        ),
        "note_organisation": (
            "Охват. Показатели относятся к записям одной организации. Когда сеть "
            "объединяет организации, инцидент, о котором сообщили нескольким из них, "
            "учитывается один раз."
        ),
        "note_response": (
            "Реагирование. Время до первого контакта: дни от инцидента (или дня его "
            "регистрации) до первого вмешательства по связанному делу. Юридическая помощь: "
            "юридическая консультация, жалоба или судебное дело."
        ),
        "note_prevalence": (
            "Ограничения. Это случаи, задокументированные организациями, а не оценка "
            "распространённости насилия: многие женщины никогда о нём не сообщают."
        ),
    },
    "uk": {
        "title": "Задокументовані порушення: статистичний звіт",
        "subtitle": "Насильство з боку поліції та держави щодо жінок, які вживають наркотики",
        "organisation": "Організація",
        "network": "Мережа",
        "network_members": "Організації, що надають агреговані дані",
        "period": "Період",
        "country": "Країна",
        "all_countries": "Усі країни",
        "generated": "Дата складання",
        "key_figures": "Основні показники",
        "trend": "Динаміка за місяцями",
        "act_types": "Види діянь",
        "main_categories": "Основні категорії",
        "detailed": "Детально (як записано)",
        "perpetrators": "Типи виконавців",
        "regions": "Регіони",
        "response": "Реагування",
        "time_to_contact": "Час до першого контакту",
        "median_contact": "Медіана днів до першого контакту",
        "legal_support": "Юридична допомога",
        "legal_share": "Частка справ з юридичною допомогою",
        "with_legal": "Справи з юридичною допомогою",
        "without_legal": "Справи без юридичної допомоги",
        "complaints": "Скарги та їх результати",
        "complaints_scope": (
            "Звернення до наглядових органів (внутрішня безпека поліції, прокуратура, "
            "омбудсман, суди) у справах зі згодою на статистику: усі подані до дати "
            "складання звіту, а не лише за зазначений період."
        ),
        "filed": "Подано скарг",
        "answered": "Отримано відповідь",
        "answered_on_time": "Відповідь вчасно",
        "median_answer": "Медіана днів до відповіді",
        "outcomes_by_body": "Результати за типом органу",
        "body_type": "Тип органу",
        "method": "Методичні примітки",
        "unit_incidents": "Інциденти",
        "unit_acts": "Діяння (одна постраждала, один вид діяння)",
        "unit_victims": "Постраждалі (різні особи)",
        "unit_cases": "Справи",
        "unit_complaints": "Скарги",
        "counting_unit": "Одиниця підрахунку: {unit}",
        "total": "Усього",
        "hidden": "приховано",
        "not_recorded": "Не вказано",
        "nothing": "За цей період даних немає.",
        "month": "Місяць",
        "act_type": "Вид діяння",
        "perpetrator_type": "Тип виконавця",
        "region": "Регіон",
        "days": "Днів до першого контакту",
        "band_0": "Того ж дня",
        "band_1-2": "1–2 дні",
        "band_3-7": "3–7 днів",
        "band_8-30": "8–30 днів",
        "band_31+": "Понад 30 днів",
        "note_units": (
            "Одиниці підрахунку. Інциденти: окремі події. Діяння: одна постраждала й один "
            "вид діяння, тому інцидент із двома постраждалими або з побиттям і "
            "вимаганням дає кілька діянь. Постраждалі: різні особи, які зазнали хоча б "
            "одного врахованого діяння. У кожній таблиці вказано одиницю підрахунку. "
            "Інцидент із кількома типами виконавців або видами допомоги враховується в "
            "кожному з них, тому сума категорій може перевищувати підсумок; підсумки "
            "рахуються безпосередньо, а не додаванням."
        ),
        "note_consent": (
            "Згода. Враховуються лише зареєстровані інциденти, постраждалі в яких "
            "погодилися на використання відомостей у знеособленій статистиці; чернетки "
            "та інциденти без такої згоди не враховуються навіть у підсумках. Показники "
            "обчислено лише за кодованими полями: імена, контакти, описи та дані "
            "працівників не використовуються."
        ),
        "note_suppression": (
            "Малі числа. Будь-яке значення від 1 до {below} показано як «приховано» "
            "(поріг {threshold}). Де потрібно, приховано й інші значення, щоб приховане "
            "число не можна було обчислити з підсумків чи інших клітинок (додаткове "
            "приховування). Нуль показується. Кожна таблиця захищена окремо."
        ),
        "note_coarsening": (
            "Дати й місця. Інциденти враховуються за календарними місяцями та за "
            "регіонами; період охоплює цілі місяці (з {start} по {end}). Точних дат, "
            "населених пунктів і адрес у звіті немає."
        ),
        "note_network": (
            "Мережа. Показники об'єднують дані {count} організацій, які вирішили надавати "
            "мережі агреговані дані; відомості про справи їх не залишали. Інцидент, про "
            "який повідомили кільком із них, враховується один раз."
        ),
        "note_organisation": (
            "Охоплення. Показники стосуються записів однієї організації. Коли мережа "
            "об'єднує організації, інцидент, про який повідомили кільком із них, "
            "враховується один раз."
        ),
        "note_response": (
            "Реагування. Час до першого контакту: дні від інциденту (або дня його "
            "реєстрації) до першого втручання у пов'язаній справі. Юридична допомога: "
            "юридична консультація, скарга або судова справа."
        ),
        "note_prevalence": (
            "Обмеження. Це випадки, задокументовані організаціями, а не оцінка поширеності "
            "насильства: багато жінок ніколи про нього не повідомляють."
        ),
    },
}


WORDS.update(regional.WORDS)  # Romanian, Georgian, Kazakh, Kyrgyz, Belarusian


def words(language: str) -> dict[str, str]:
    """The report's words in ``language`` (English where a language lacks one)."""
    chosen = WORDS.get(language[:2], {})
    return {**WORDS["en"], **chosen}
