"""The words of the letters, per letter language (not the interface language).

A letter is written in the language the body reads, whatever language the
lawyer's screen is in, so these texts are data rather than gettext strings.
The default DOCX templates bake them in (coordinators edit them in Word); the
PDF template takes them from here. Lawyers should review them.
"""

from __future__ import annotations

from vigil.complaints import wording_regional as regional
from vigil.complaints.models import ActionType, BodyType

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "to": "Кому",
        "from": "От",
        "on_behalf": "В интересах",
        "date": "Дата",
        "reference": "Наш номер",
        "facts": "Обстоятельства",
        "officers": "Причастные сотрудники",
        "acts": "Нарушения",
        "grounds": "Правовые основания",
        "request": "На основании изложенного ПРОШУ",
        "signature": "Подпись",
        "pseudonym_note": (
            "Имя заявительницы не раскрывается по её просьбе (указан псевдоним); "
            "оно будет сообщено с её согласия."
        ),
        "about": "около",
        "unknown": "не установлено",
        "year": "г.",
        "badge": "номер жетона",
        "unit": "подразделение",
        "vehicle": "транспортное средство (номер)",
        "rank": "звание",
        "agency": "ведомство",
    },
    "uk": {
        "to": "Кому",
        "from": "Від",
        "on_behalf": "В інтересах",
        "date": "Дата",
        "reference": "Наш номер",
        "facts": "Обставини",
        "officers": "Причетні працівники",
        "acts": "Порушення",
        "grounds": "Правові підстави",
        "request": "На підставі викладеного ПРОШУ",
        "signature": "Підпис",
        "pseudonym_note": (
            "Ім'я заявниці не розкривається на її прохання (вказано псевдонім); "
            "його буде повідомлено за її згодою."
        ),
        "about": "близько",
        "unknown": "не встановлено",
        "year": "р.",
        "badge": "номер жетона",
        "unit": "підрозділ",
        "vehicle": "транспортний засіб (номер)",
        "rank": "звання",
        "agency": "відомство",
    },
    "en": {
        "to": "To",
        "from": "From",
        "on_behalf": "On behalf of",
        "date": "Date",
        "reference": "Our reference",
        "facts": "Facts",
        "officers": "Officers involved",
        "acts": "Violations",
        "grounds": "Legal grounds",
        "request": "We therefore ask you",
        "signature": "Signature",
        "pseudonym_note": (
            "The applicant's name is withheld at her request (a pseudonym is used); "
            "it will be provided with her consent."
        ),
        "about": "about",
        "unknown": "not established",
        "year": "",
        "badge": "badge number",
        "unit": "unit",
        "vehicle": "vehicle (plate)",
        "rank": "rank",
        "agency": "agency",
    },
}

# The language names as each letter language says "from <language>", and the
# phrase around them; "cyrillic" is text that may be Russian or Ukrainian.
_FROM: dict[str, tuple[str, dict[str, str]]] = {
    "ru": (
        "[требует перевода с {}]",
        {
            "uk": "украинского языка",
            "en": "английского языка",
            "kk": "казахского языка",
            "ky": "кыргызского языка",
            "ro": "румынского языка",
            "ka": "грузинского языка",
            "be": "белорусского языка",
        },
    ),
    "uk": (
        "[потребує перекладу з {}]",
        {
            "ru": "російської мови",
            "en": "англійської мови",
            "kk": "казахської мови",
            "ky": "киргизької мови",
            "ro": "румунської мови",
            "ka": "грузинської мови",
            "be": "білоруської мови",
            "cyrillic": "російської, української або білоруської мови",
        },
    ),
    "en": (
        "[to be translated from {}]",
        {
            "ru": "Russian",
            "uk": "Ukrainian",
            "kk": "Kazakh",
            "ky": "Kyrgyz",
            "ro": "Romanian",
            "ka": "Georgian",
            "be": "Belarusian",
            "cyrillic": "Russian or Ukrainian",
        },
    ),
    "ro": (
        "[necesită traducere din {}]",
        {
            "ru": "limba rusă",
            "uk": "limba ucraineană",
            "kk": "limba kazahă",
            "ky": "limba kârgâză",
            "ka": "limba georgiană",
            "be": "limba belarusă",
            "cyrillic": "limba rusă sau ucraineană",
        },
    ),
    "ka": (
        "[საჭიროებს თარგმნას {}]",
        {
            "ru": "რუსული ენიდან",
            "uk": "უკრაინული ენიდან",
            "en": "ინგლისური ენიდან",
            "kk": "ყაზახური ენიდან",
            "ky": "ყირგიზული ენიდან",
            "ro": "რუმინული ენიდან",
            "be": "ბელარუსული ენიდან",
            "cyrillic": "რუსული ან უკრაინული ენიდან",
        },
    ),
    "kk": (
        "[{} аударуды қажет етеді]",
        {
            "ru": "орыс тілінен",
            "uk": "украин тілінен",
            "en": "ағылшын тілінен",
            "ky": "қырғыз тілінен",
            "ro": "румын тілінен",
            "ka": "грузин тілінен",
            "be": "беларусь тілінен",
            "cyrillic": "орыс немесе украин тілінен",
        },
    ),
    "ky": (
        "[{} которууну талап кылат]",
        {
            "ru": "орус тилинен",
            "uk": "украин тилинен",
            "en": "англис тилинен",
            "kk": "казак тилинен",
            "ro": "румын тилинен",
            "ka": "грузин тилинен",
            "be": "беларус тилинен",
            "cyrillic": "орус же украин тилинен",
        },
    ),
    "be": (
        "[патрабуе перакладу з {}]",
        {
            "ru": "рускай мовы",
            "uk": "украінскай мовы",
            "en": "англійскай мовы",
            "kk": "казахскай мовы",
            "ky": "кыргызскай мовы",
            "ro": "румынскай мовы",
            "ka": "грузінскай мовы",
        },
    ),
}
# Marks free text written in another language than the letter's, never mixed in
# silently: "[to be translated from Russian] ..." (keys: vigil.lib.textlang results).
TRANSLATE_FROM: dict[str, dict[str, str]] = {
    language: {source: phrase.format(name) for source, name in names.items()}
    for language, (phrase, names) in _FROM.items()
}


def translate_marker(source: str, language: str) -> str:
    markers = TRANSLATE_FROM.get(language) or TRANSLATE_FROM["en"]
    return markers.get(source) or TRANSLATE_FROM["en"].get(source, f"[{source}]")


ACTION_TITLES: dict[str, dict[str, str]] = {
    ActionType.COMPLAINT: {"ru": "ЖАЛОБА", "uk": "СКАРГА", "en": "COMPLAINT"},
    ActionType.INVESTIGATION_REQUEST: {
        "ru": "ЗАЯВЛЕНИЕ о проведении расследования",
        "uk": "ЗАЯВА про проведення розслідування",
        "en": "REQUEST FOR AN INVESTIGATION",
    },
    ActionType.APPEAL: {
        "ru": "ЖАЛОБА на решение (бездействие)",
        "uk": "СКАРГА на рішення (бездіяльність)",
        "en": "APPEAL AGAINST A DECISION (OR INACTION)",
    },
    ActionType.LAWSUIT: {
        "ru": "ИСКОВОЕ ЗАЯВЛЕНИЕ",
        "uk": "ПОЗОВНА ЗАЯВА",
        "en": "STATEMENT OF CLAIM",
    },
    ActionType.OMBUDSMAN_PETITION: {"ru": "ОБРАЩЕНИЕ", "uk": "ЗВЕРНЕННЯ", "en": "PETITION"},
    ActionType.UN_COMMUNICATION: {
        "ru": "ИНДИВИДУАЛЬНОЕ СООБЩЕНИЕ",
        "uk": "ІНДИВІДУАЛЬНЕ ПОВІДОМЛЕННЯ",
        "en": "INDIVIDUAL COMMUNICATION",
    },
    ActionType.OST_CONTINUITY: {
        "ru": "ХОДАТАЙСТВО об обеспечении непрерывности опиоидной заместительной терапии",
        "uk": "КЛОПОТАННЯ про забезпечення безперервності замісної підтримувальної терапії",
        "en": "REQUEST FOR CONTINUITY OF OPIOID SUBSTITUTION THERAPY",
    },
}

# (subject line, numbered requests) per body type and language.
_POLICE = {
    "ru": (
        "на неправомерные действия сотрудников полиции",
        [
            "Провести служебную проверку действий сотрудников, указанных выше.",
            "Привлечь виновных к дисциплинарной ответственности, а при наличии признаков "
            "преступления передать материалы в компетентный орган досудебного расследования.",
            "Сообщить о результатах письменно в установленный законом срок.",
        ],
    ),
    "uk": (
        "на неправомірні дії працівників поліції",
        [
            "Провести службове розслідування дій працівників, зазначених вище.",
            "Притягнути винних до дисциплінарної відповідальності, а за наявності ознак "
            "злочину передати матеріали до компетентного органу досудового розслідування.",
            "Повідомити про результати письмово у встановлений законом строк.",
        ],
    ),
    "en": (
        "about unlawful actions of police officers",
        [
            "Conduct an internal investigation into the actions of the officers described above.",
            "Bring those responsible to disciplinary responsibility and, where there are signs of "
            "a crime, pass the materials to the competent investigative authority.",
            "Inform us in writing of the results within the period set by law.",
        ],
    ),
}
_PROSECUTOR = {
    "ru": (
        "о преступлении, совершённом сотрудниками правоохранительных органов",
        [
            "Зарегистрировать настоящее заявление и начать досудебное расследование.",
            "Обеспечить эффективное, независимое и безотлагательное расследование.",
            "Сообщить о принятом решении в установленный законом срок.",
        ],
    ),
    "uk": (
        "про кримінальне правопорушення, вчинене працівниками правоохоронних органів",
        [
            "Внести відомості до Єдиного реєстру досудових розслідувань і розпочати "
            "досудове розслідування.",
            "Забезпечити ефективне, незалежне та невідкладне розслідування.",
            "Повідомити про прийняте рішення у встановлений законом строк.",
        ],
    ),
    "en": (
        "about a criminal offence committed by law enforcement officers",
        [
            "Register this report and open a criminal investigation.",
            "Ensure an effective, independent and prompt investigation.",
            "Inform us of the decision taken within the period set by law.",
        ],
    ),
}
_OMBUDSMAN = {
    "ru": (
        "о нарушении прав человека",
        [
            "Открыть производство по изложенному нарушению её прав.",
            "Использовать свои полномочия для реагирования и предотвращения подобных нарушений.",
            "Сообщить о результатах рассмотрения.",
        ],
    ),
    "uk": (
        "про порушення прав людини",
        [
            "Відкрити провадження щодо викладеного порушення її прав.",
            "Використати свої повноваження для реагування та запобігання подібним порушенням.",
            "Повідомити про результати розгляду.",
        ],
    ),
    "en": (
        "about a violation of human rights",
        [
            "Open proceedings on the violation of her rights described above.",
            "Use your powers to respond and to prevent similar violations.",
            "Inform us of the results.",
        ],
    ),
}
_NPM = {
    "ru": (
        "о нарушениях в месте несвободы",
        [
            "Включить указанное место содержания в план мониторинговых визитов.",
            "Проверить доступ задержанных к медицинской помощи, в том числе к ОЗТ.",
            "Сообщить о результатах.",
        ],
    ),
    "uk": (
        "про порушення в місці несвободи",
        [
            "Включити зазначене місце несвободи до плану моніторингових візитів.",
            "Перевірити доступ затриманих до медичної допомоги, зокрема до ЗПТ.",
            "Повідомити про результати.",
        ],
    ),
    "en": (
        "about violations in a place of detention",
        [
            "Include the place of detention concerned in your monitoring visits.",
            "Check detainees' access to health care, including OST.",
            "Inform us of the results.",
        ],
    ),
}
_COURT = {
    "ru": (
        "о признании действий сотрудников полиции незаконными и возмещении вреда",
        [
            "Признать действия сотрудников полиции, изложенные выше, незаконными.",
            "Взыскать компенсацию морального вреда.",
        ],
    ),
    "uk": (
        "про визнання дій працівників поліції протиправними та відшкодування шкоди",
        [
            "Визнати дії працівників поліції, викладені вище, протиправними.",
            "Стягнути відшкодування моральної шкоди.",
        ],
    ),
    "en": (
        "for a declaration that the officers' actions were unlawful and for compensation",
        [
            "Declare the actions of the police officers described above unlawful.",
            "Award compensation for non-pecuniary damage.",
        ],
    ),
}
_UN = {
    "ru": (
        "о нарушении государством-участником своих обязательств",
        [
            "Рассмотреть настоящее сообщение.",
            "Предложить государству-участнику провести эффективное расследование, "
            "возместить причинённый вред и предотвратить повторение нарушений.",
        ],
    ),
    "uk": (
        "про порушення державою-учасницею своїх зобов'язань",
        [
            "Розглянути це повідомлення.",
            "Запропонувати державі-учасниці провести ефективне розслідування, "
            "відшкодувати заподіяну шкоду та запобігти повторенню порушень.",
        ],
    ),
    "en": (
        "about the State party's breach of its obligations",
        [
            "Consider this communication.",
            "Request the State party to investigate effectively, provide redress and prevent "
            "repetition of the violations.",
        ],
    ),
}
_HEALTH = {
    "ru": (
        "о прерывании лечения (ОЗТ)",
        [
            "Обеспечить непрерывность опиоидной заместительной терапии, в том числе под стражей.",
            "Проверить действия причастных лиц.",
            "Сообщить о принятых мерах.",
        ],
    ),
    "uk": (
        "про переривання лікування (ЗПТ)",
        [
            "Забезпечити безперервність замісної підтримувальної терапії, зокрема під вартою.",
            "Перевірити дії причетних осіб.",
            "Повідомити про вжиті заходи.",
        ],
    ),
    "en": (
        "about the interruption of treatment (OST)",
        [
            "Ensure continuity of opioid substitution therapy, including in custody.",
            "Examine the actions of those involved.",
            "Inform us of the measures taken.",
        ],
    ),
}
_OTHER = {
    "ru": (
        "о нарушении прав",
        [
            "Рассмотреть настоящее обращение и принять меры в пределах своей компетенции.",
            "Сообщить о результатах в установленный законом срок.",
        ],
    ),
    "uk": (
        "про порушення прав",
        [
            "Розглянути це звернення та вжити заходів у межах своєї компетенції.",
            "Повідомити про результати у встановлений законом строк.",
        ],
    ),
    "en": (
        "about a violation of rights",
        [
            "Consider this letter and take measures within your competence.",
            "Inform us of the results within the period set by law.",
        ],
    ),
}

# Romanian, Georgian, Kazakh, Kyrgyz and Belarusian (wording_regional.py).
for _lang, _words in regional.LABELS.items():
    LABELS[_lang] = _words
for _type, _titles in regional.ACTION_TITLES.items():
    ACTION_TITLES[_type].update(_titles)
for _group, _wording in (
    ("police", _POLICE),
    ("prosecutor", _PROSECUTOR),
    ("ombudsman", _OMBUDSMAN),
    ("npm", _NPM),
    ("court", _COURT),
    ("un", _UN),
    ("health", _HEALTH),
    ("other", _OTHER),
):
    _wording.update(regional.BODY_WORDING[_group])

BODY_WORDING: dict[str, dict[str, tuple[str, list[str]]]] = {
    BodyType.POLICE_INTERNAL: _POLICE,
    BodyType.EMPLOYER: _POLICE,
    BodyType.PROSECUTOR: _PROSECUTOR,
    BodyType.OMBUDSMAN: _OMBUDSMAN,
    BodyType.NPM: _NPM,
    BodyType.COURT: _COURT,
    BodyType.UN_CEDAW: _UN,
    BodyType.UN_CAT: _UN,
    BodyType.UN_RAPPORTEUR: _UN,
    BodyType.HEALTH: _HEALTH,
    BodyType.OTHER: _OTHER,
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def action_title(action_type: str, language: str) -> str:
    titles = ACTION_TITLES.get(action_type, ACTION_TITLES[ActionType.COMPLAINT])
    return titles.get(language, titles["en"])


def body_wording(body_type: str, language: str) -> tuple[str, list[str]]:
    wording = BODY_WORDING.get(body_type, _OTHER)
    return wording.get(language, wording["en"])
