"""Realistic demo incidents for a demo organisation and for the benchmarks.

``create_incidents`` writes what the wizard and case pages would write
(sealed titles and narratives in English, Russian and Ukrainian, victims with
blind-indexed names and phones, acts with real vocabulary terms, perpetrators
with badges and plates, consents, cases with status history, tasks and
interventions) fast enough for 100,000 incidents:

- rows go in with ``bulk_create`` in batches (2,000 incidents by default), one
  transaction per batch, bypassing the per-row action functions; ONE audit
  event ``demo.generate`` records the run and its count;
- by default every record of a batch shares ONE data key (sealed once to the
  organisation's public key). Sealing a fresh key costs about 55 µs per record
  (docs/performance.md, vault), a third of the generation time. The content is
  still encrypted at rest and opens the normal way; the difference is that
  crypto-shredding one demo record leaves siblings holding the same key.
  ``fresh_keys=True`` gives every record its own key, as real data has;
- incident and case numbers continue the organisation's sequence, taken under
  the organisation row lock once per batch;
- timestamps (created, opened, consent recorded ...) are spread over the past
  three years instead of "now", so lists, filters and statistics look real.

Demo only: never run it against an organisation holding real data.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import connection, models, transaction
from django.utils import timezone

from vigil.accounts.models import Membership, Organisation, Role, User
from vigil.audit.log import record
from vigil.cases.models import (
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    Intervention,
    StatusChange,
    Task,
)
from vigil.cases.transitions import CLOSURE_CHECKLIST
from vigil.incidents import regions
from vigil.incidents.models import (
    Act,
    AgeBand,
    DatePrecision,
    Event,
    EventStatus,
    Involvement,
    Perpetrator,
    Person,
    Sex,
    Source,
    SourceChannel,
)
from vigil.lib.numbering import next_number
from vigil.vault import crypto
from vigil.vault.keys import organisation_public_key
from vigil.vocab.models import Term

BATCH_SIZE = 2000
LANGS = ("en", "ru", "uk")
T = TypeVar("T")
Progress = Callable[[int, int], None]

# --- what happened: scenarios typical of the EHRN brief ---------------------------------------


@dataclass(frozen=True)
class Scenario:
    weight: int
    place: str
    acts: tuple[str, ...]
    perpetrator: str
    methods: tuple[str, ...]
    consequences: tuple[str, ...]
    status: str | None
    needs: tuple[str, ...]
    title: dict[str, str]
    narrative: dict[str, str]


SCENARIOS: list[Scenario] = [
    Scenario(
        14,
        "PLACE.TRANSPORT",
        ("ACT.DET.STOP", "ACT.DET.SEARCH", "ACT.PRIV.STIGMA_INSULTS"),
        "PERP.POLICE.TRANSPORT",
        (),
        ("CONS.TRAUMA",),
        "STAT.RELEASED",
        ("NEED.LEGAL", "NEED.PSYCHOSOCIAL"),
        {
            "en": "Stopped without reason and searched at {station} metro station",
            "ru": "Остановили без причины и обыскали у станции метро «{station}»",
            "uk": "Зупинили без причини та обшукали біля станції метро «{station}»",
        },
        {
            "en": "{when} two police officers stopped me at the exit of {station} metro "
            "station. They gave no reason, demanded my passport, then took me to the police "
            "room at the station and searched my bag and clothes. When they found my OST "
            "programme card they started insulting me and called me a junkie in front of "
            "passers-by. No report was written; they let me go after about {hours} hours.",
            "ru": "{when} меня остановили двое полицейских у выхода со станции метро "
            "«{station}». Причину не назвали, потребовали паспорт, потом отвели в комнату "
            "полиции на станции и обыскали сумку и одежду. Когда нашли карточку пациентки "
            "программы ЗПТ, начали оскорблять, называли «наркоманкой» при прохожих. Протокол "
            "не составляли, отпустили примерно через {hours} ч.",
            "uk": "{when} мене зупинили двоє поліцейських біля виходу зі станції метро "
            "«{station}». Причину не назвали, вимагали паспорт, потім відвели до кімнати "
            "поліції на станції та обшукали сумку й одяг. Коли знайшли картку пацієнтки "
            "програми ЗПТ, почали ображати, називали «наркоманкою» при перехожих. Протокол "
            "не складали, відпустили приблизно за {hours} год.",
        },
    ),
    Scenario(
        10,
        "PLACE.STREET",
        ("ACT.DET.SEARCH", "ACT.DET.PLANTING", "ACT.EXT.BRIBE"),
        "PERP.POLICE.DRUG",
        (),
        ("CONS.CRIMINAL_RECORD",),
        "STAT.CHARGED",
        ("NEED.LEGAL",),
        {
            "en": "Drugs planted during a search on {street}",
            "ru": "Подбросили наркотики при досмотре, {street}",
            "uk": "Підкинули наркотики під час огляду, {street}",
        },
        {
            "en": "Near the pharmacy on {street} two plain-clothes men came up to me and "
            "showed drug-control police IDs. There were no witnesses. During the body search "
            "one of them 'found' a package in my pocket that was not mine. They said the "
            "criminal case could be 'settled' for {amount} {currency}. I had no money, so "
            "they wrote a report.",
            "ru": "Возле аптеки ({street}) ко мне подошли двое в штатском, показали "
            "удостоверения отдела по борьбе с наркотиками. Понятых не было. Во время личного "
            "досмотра один из них «нашёл» у меня в кармане свёрток, которого у меня не было. "
            "Сказали, что уголовное дело можно «решить» за {amount} {currency}. Денег у меня "
            "не было, составили протокол.",
            "uk": "Біля аптеки ({street}) до мене підійшли двоє в цивільному, показали "
            "посвідчення відділу протидії наркозлочинності. Понятих не було. Під час "
            "особистого огляду один із них «знайшов» у моїй кишені згорток, якого в мене не "
            "було. Сказали, що кримінальну справу можна «вирішити» за {amount} {currency}. "
            "Грошей у мене не було, склали протокол.",
        },
    ),
    Scenario(
        10,
        "PLACE.POLICE_VEHICLE",
        ("ACT.EXT.BRIBE", "ACT.PSY.THREATS", "ACT.DET.ARBITRARY"),
        "PERP.POLICE.PATROL",
        (),
        ("CONS.FINANCIAL_LOSS",),
        "STAT.RELEASED_PAID",
        ("NEED.LEGAL",),
        {
            "en": "Money extorted in a patrol car",
            "ru": "Вымогательство денег в патрульной машине",
            "uk": "Вимагання грошей у патрульній машині",
        },
        {
            "en": "{when} a patrol put me in their car, supposedly to check my documents. For "
            "two hours they drove me around the district and said they would take me for a "
            "drug test and 'book' me for possession unless I paid. A friend transferred "
            "{amount} {currency} to their card, and then they let me out ({street}).",
            "ru": "{when} патруль посадил меня в машину, якобы для проверки документов. Два "
            "часа возили по району и говорили, что отвезут на освидетельствование и "
            "«оформят» за хранение, если не заплачу. Подруга перевела им на карту {amount} "
            "{currency}, после этого меня высадили ({street}).",
            "uk": "{when} патруль посадив мене в машину нібито для перевірки документів. Дві "
            "години возили районом і казали, що відвезуть на огляд і «оформлять» за "
            "зберігання, якщо не заплачу. Подруга переказала їм на картку {amount} "
            "{currency}, після цього мене висадили ({street}).",
        },
    ),
    Scenario(
        8,
        "PLACE.HOME",
        ("ACT.PSY.THREAT_CHILDREN", "ACT.DET.INFORMANT", "ACT.PSY.HUMILIATION"),
        "PERP.POLICE.DISTRICT",
        (),
        ("CONS.TRAUMA",),
        None,
        ("NEED.CHILDREN", "NEED.LEGAL", "NEED.PSYCHOSOCIAL"),
        {
            "en": "District officer threatened to take her children away",
            "ru": "Участковый угрожал забрать детей",
            "uk": "Дільничний погрожував забрати дітей",
        },
        {
            "en": "The district officer came to my home for no reason, in front of my "
            "children. He said he knew I was 'on methadone' and would report me to the "
            "children's service so that I lose custody. He offered a 'deal': I should tell "
            "him who sells in the area. He promised to come back in a week.",
            "ru": "Участковый пришёл ко мне домой без повода, при детях. Сказал, что знает, "
            "что я «сижу на метадоне», и сообщит в службу по делам детей, чтобы меня лишили "
            "родительских прав. Предложил «договориться»: я должна рассказывать ему, кто в "
            "районе продаёт. Обещал прийти снова через неделю.",
            "uk": "Дільничний прийшов до мене додому без приводу, при дітях. Сказав, що знає, "
            "що я «сиджу на метадоні», і повідомить службу у справах дітей, щоб мене "
            "позбавили батьківських прав. Запропонував «домовитися»: я маю розповідати йому, "
            "хто в районі продає. Обіцяв прийти знову за тиждень.",
        },
    ),
    Scenario(
        9,
        "PLACE.DETENTION",
        ("ACT.HEALTH.OST_INTERRUPTION", "ACT.HEALTH.CARE_DENIED", "ACT.DET.ARBITRARY"),
        "PERP.DETENTION_STAFF",
        ("MTH.DEPRIVATION.OST",),
        ("CONS.OST_INTERRUPTED",),
        "STAT.RELEASED",
        ("NEED.OST_CONTINUITY", "NEED.MEDICAL", "NEED.LEGAL"),
        {
            "en": "OST denied in police custody for {days} days",
            "ru": "Отказ в ЗПТ в ИВС, {days} сут.",
            "uk": "Відмова в ЗПТ в ІТТ, {days} доби",
        },
        {
            "en": "{when} I was detained and held in the temporary detention facility for "
            "{days} days. I told them straight away that I receive methadone at the OST site "
            "and asked them to call my doctor. The duty officer said 'this is not a "
            "hospital'. On the second day severe withdrawal began, and no doctor was ever "
            "called. After release I had to enrol in the programme again.",
            "ru": "{when} меня задержали и {days} суток держали в ИВС. Я сразу сказала, что "
            "получаю метадон на сайте ЗПТ, и просила позвонить моему врачу. Дежурный "
            "ответил, что «здесь не больница». На второй день началась сильная ломка, врача "
            "так и не вызвали. После освобождения пришлось заново оформляться в программу.",
            "uk": "{when} мене затримали і {days} доби тримали в ІТТ. Я одразу сказала, що "
            "отримую метадон на сайті ЗПТ, і просила зателефонувати моєму лікарю. Черговий "
            "відповів, що «тут не лікарня». На другу добу почалася сильна ломка, лікаря так "
            "і не викликали. Після звільнення довелося заново оформлюватися в програму.",
        },
    ),
    Scenario(
        8,
        "PLACE.POLICE_STATION",
        ("ACT.PHYS.BEATING", "ACT.DET.COERCED_CONFESSION", "ACT.DET.NO_LAWYER"),
        "PERP.POLICE.INVESTIGATOR",
        ("MTH.BEATING.HANDS_FEET", "MTH.SUFFOCATION"),
        ("CONS.INJURY", "CONS.TRAUMA"),
        "STAT.INJURED",
        ("NEED.LEGAL", "NEED.MEDICAL"),
        {
            "en": "Beaten at the police station to force a confession",
            "ru": "Избиение в отделе полиции, требовали признание",
            "uk": "Побиття у відділку поліції, вимагали зізнання",
        },
        {
            "en": "At the police station the investigator demanded that I sign a confession "
            "to dealing. When I refused and asked for a lawyer, they hit me in the ribs and "
            "put a bag over my head. I was not given a lawyer. The bruises were recorded at "
            "the emergency clinic the next day.",
            "ru": "В отделе полиции следователь требовал, чтобы я подписала признание в "
            "сбыте. Когда я отказалась и попросила адвоката, меня били по рёбрам и надевали "
            "на голову пакет. Адвоката не дали. Синяки зафиксировали в травмпункте на "
            "следующий день.",
            "uk": "У відділку поліції слідчий вимагав, щоб я підписала зізнання у збуті. Коли "
            "я відмовилася і попросила адвоката, мене били по ребрах і вдягали на голову "
            "пакет. Адвоката не надали. Синці зафіксували в травмпункті наступного дня.",
        },
    ),
    Scenario(
        6,
        "PLACE.POLICE_VEHICLE",
        ("ACT.SEX.EXTORTION", "ACT.SEX.HARASSMENT", "ACT.DET.ARBITRARY"),
        "PERP.POLICE.PATROL",
        (),
        ("CONS.TRAUMA",),
        "STAT.RELEASED",
        ("NEED.PSYCHOSOCIAL", "NEED.MEDICAL", "NEED.LEGAL"),
        {
            "en": "Sex demanded in exchange for release",
            "ru": "Требовали секс за освобождение",
            "uk": "Вимагали секс за звільнення",
        },
        {
            "en": "{when} I was detained ({street}) and put in a patrol car. One officer said "
            "he would let me go without a report if I was 'nicer' to him; he touched me and "
            "would not let me out. The other laughed and filmed on his phone.",
            "ru": "{when} меня задержали ({street}) и посадили в патрульную машину. Один из "
            "полицейских сказал, что отпустит без протокола, если я «буду поласковее», "
            "трогал меня и не давал выйти. Второй смеялся и снимал на телефон.",
            "uk": "{when} мене затримали ({street}) і посадили в патрульну машину. Один із "
            "поліцейських сказав, що відпустить без протоколу, якщо я «буду лагідніша», "
            "торкався мене й не давав вийти. Другий сміявся і знімав на телефон.",
        },
    ),
    Scenario(
        7,
        "PLACE.NSP",
        ("ACT.HEALTH.HR_BLOCKED", "ACT.HEALTH.CONFISCATION", "ACT.DET.STOP"),
        "PERP.POLICE.PATROL",
        (),
        (),
        "STAT.RELEASED",
        ("NEED.LEGAL", "NEED.MEDICAL"),
        {
            "en": "Police outside the needle exchange confiscated naloxone",
            "ru": "Полиция у пункта обмена шприцев изъяла налоксон",
            "uk": "Поліція біля пункту обміну шприців вилучила налоксон",
        },
        {
            "en": "For the third day a patrol has been waiting outside the needle and "
            "syringe programme ({street}). They stop and search everyone who comes out. They "
            "took my clean syringes and naloxone and said next time they would charge me "
            "with 'propaganda'. Now the women are afraid to go there.",
            "ru": "Патруль третий день дежурит у пункта обмена шприцев ({street}). Всех, кто "
            "выходит, останавливают и досматривают. У меня забрали чистые шприцы и налоксон, "
            "сказали, что в следующий раз оформят за «пропаганду». Теперь девочки боятся "
            "туда ходить.",
            "uk": "Патруль уже третій день чергує біля пункту обміну шприців ({street}). "
            "Усіх, хто виходить, зупиняють і оглядають. У мене забрали чисті шприци та "
            "налоксон, сказали, що наступного разу оформлять за «пропаганду». Тепер дівчата "
            "бояться туди ходити.",
        },
    ),
    Scenario(
        5,
        "PLACE.HOME",
        ("ACT.PRIV.STATUS_DISCLOSURE", "ACT.PSY.HUMILIATION"),
        "PERP.POLICE.DISTRICT",
        (),
        ("CONS.HOUSING_LOSS", "CONS.TRAUMA"),
        None,
        ("NEED.PSYCHOSOCIAL", "NEED.LEGAL", "NEED.SHELTER"),
        {
            "en": "District officer disclosed her HIV status to neighbours",
            "ru": "Участковый рассказал соседям о ВИЧ-статусе",
            "uk": "Дільничний розповів сусідам про ВІЛ-статус",
        },
        {
            "en": "During a door-to-door round the district officer told my neighbours that I "
            "have HIV and am 'registered with the narcologist'. Now the neighbours do not let "
            "my son play with their children, and the landlady wants me to move out.",
            "ru": "Во время поквартирного обхода участковый рассказал соседям, что у меня ВИЧ "
            "и что я «состою на учёте у нарколога». Теперь соседи не пускают моего сына "
            "играть с их детьми, а хозяйка квартиры требует, чтобы я съехала.",
            "uk": "Під час поквартирного обходу дільничний розповів сусідам, що в мене ВІЛ і "
            "що я «перебуваю на обліку в нарколога». Тепер сусіди не пускають мого сина "
            "гратися з їхніми дітьми, а власниця квартири вимагає, щоб я виїхала.",
        },
    ),
    Scenario(
        6,
        "PLACE.POLICE_STATION",
        ("ACT.HEALTH.FORCED_TEST", "ACT.HEALTH.NARCO_REGISTER", "ACT.DET.RIGHTS_DENIED"),
        "PERP.POLICE.DRUG",
        (),
        (),
        "STAT.RELEASED",
        ("NEED.LEGAL",),
        {
            "en": "Forced drug test and registration as a drug user",
            "ru": "Принудительный тест на наркотики и постановка на учёт",
            "uk": "Примусовий тест на наркотики та взяття на облік",
        },
        {
            "en": "{when} I was taken to the station 'to establish my identity' and made to "
            "give a urine sample for a drug test in front of a male officer. I was not "
            "allowed to call my family. A month later a letter came from the narcology "
            "clinic saying I had been registered, although I was never shown any decision.",
            "ru": "{when} меня доставили в отдел «для установления личности» и заставили "
            "сдать мочу на тест при сотруднике-мужчине. Позвонить родным не разрешили. Через "
            "месяц пришло письмо из наркодиспансера о постановке на учёт, хотя никакого "
            "решения мне не показывали.",
            "uk": "{when} мене доставили до відділку «для встановлення особи» і змусили "
            "здати сечу на тест у присутності співробітника-чоловіка. Зателефонувати рідним "
            "не дозволили. За місяць прийшов лист із наркодиспансеру про взяття на облік, "
            "хоча жодного рішення мені не показували.",
        },
    ),
    Scenario(
        4,
        "PLACE.HOME",
        ("ACT.DET.CASE_AGAINST_PARTNER", "ACT.EXT.BLACKMAIL", "ACT.DET.FALSE_TESTIMONY"),
        "PERP.POLICE.INVESTIGATOR",
        (),
        ("CONS.FINANCIAL_LOSS",),
        None,
        ("NEED.LEGAL", "NEED.CHILDREN"),
        {
            "en": "Blackmailed into false testimony against her partner",
            "ru": "Шантаж ради показаний против партнёра",
            "uk": "Шантаж заради свідчень проти партнера",
        },
        {
            "en": "The investigator called me in 'for a chat' and said a dealing case would be "
            "opened against my partner. If I did not sign a statement that he sold drugs, "
            "they would 'book' me too and take my child. He demanded {amount} {currency} to "
            "'leave me alone'.",
            "ru": "Следователь вызвал меня «поговорить» и сказал, что на моего партнёра "
            "заведут дело о сбыте. Если я не подпишу показания, что он продавал, «оформят» и "
            "меня, а ребёнка заберут. Требовал {amount} {currency}, чтобы «не трогать» меня.",
            "uk": "Слідчий викликав мене «поговорити» і сказав, що на мого партнера заведуть "
            "справу про збут. Якщо я не підпишу свідчення, що він продавав, «оформлять» і "
            "мене, а дитину заберуть. Вимагав {amount} {currency}, щоб «не чіпати» мене.",
        },
    ),
    Scenario(
        5,
        "PLACE.CHECKPOINT",
        ("ACT.EXT.DOCUMENTS", "ACT.EXT.THEFT", "ACT.DET.STOP"),
        "PERP.POLICE.PATROL",
        (),
        ("CONS.FINANCIAL_LOSS",),
        "STAT.RELEASED",
        ("NEED.DOCUMENTS", "NEED.LEGAL"),
        {
            "en": "Passport and money taken at a checkpoint",
            "ru": "На блокпосту забрали паспорт и деньги",
            "uk": "На блокпосту забрали паспорт і гроші",
        },
        {
            "en": "At a checkpoint on the way out of town they were checking the minibus. I "
            "was the only one taken off; they took my passport and my wallet with {amount} "
            "{currency} in it. They told me to collect the passport 'at the station', where "
            "they said they knew nothing about it.",
            "ru": "На блокпосту на выезде из города проверяли маршрутку. Меня одну вывели, "
            "забрали паспорт и кошелёк, в котором было {amount} {currency}. Паспорт сказали "
            "забрать «в отделе», там ответили, что ничего не знают.",
            "uk": "На блокпосту на виїзді з міста перевіряли маршрутку. Мене одну вивели, "
            "забрали паспорт і гаманець, у якому було {amount} {currency}. Паспорт сказали "
            "забрати «у відділку», там відповіли, що нічого не знають.",
        },
    ),
]

WHEN = {
    "en": [
        "In the evening",
        "Around midnight",
        "In the morning on my way to the OST site",
        "During the day",
        "On Friday evening",
        "Early in the morning",
    ],
    "ru": [
        "Вечером",
        "Около полуночи",
        "Утром по дороге на сайт ЗПТ",
        "Днём",
        "В пятницу вечером",
        "Рано утром",
    ],
    "uk": [
        "Увечері",
        "Близько опівночі",
        "Уранці дорогою на сайт ЗПТ",
        "Удень",
        "У п’ятницю ввечері",
        "Рано-вранці",
    ],
}

# (en, ru, uk)
STATIONS = {
    "UA": [
        ("Vokzalna", "Вокзальная", "Вокзальна"),
        ("Lukianivska", "Лукьяновская", "Лук’янівська"),
        ("Livoberezhna", "Левобережная", "Лівобережна"),
        ("Kontraktova Ploshcha", "Контрактовая площадь", "Контрактова площа"),
        ("Heroiv Dnipra", "Героев Днепра", "Героїв Дніпра"),
        ("Lisova", "Лесная", "Лісова"),
    ],
    "KZ": [
        ("Zhibek Zholy", "Жибек Жолы", "Жибек Жоли"),
        ("Raiymbek Batyr", "Райымбек батыра", "Райимбек батира"),
        ("Almaly", "Алмалы", "Алмали"),
        ("Sairan", "Сайран", "Сайран"),
        ("Moskva", "Москва", "Москва"),
    ],
    "": [
        ("Tsentralnaya", "Центральная", "Центральна"),
        ("Vokzalnaya", "Вокзальная", "Вокзальна"),
        ("Sportivnaya", "Спортивная", "Спортивна"),
        ("Pionerskaya", "Пионерская", "Піонерська"),
    ],
}
STREETS = [
    ("Sadova St", "ул. Садовая", "вул. Садова"),
    ("Shevchenko St", "ул. Шевченко", "вул. Шевченка"),
    ("Abai Ave", "пр. Абая", "просп. Абая"),
    ("Lesi Ukrainky Blvd", "бульв. Леси Украинки", "бульв. Лесі Українки"),
    ("Vokzalna Sq", "Вокзальная пл.", "Вокзальна пл."),
    ("Peremohy Ave", "пр. Победы", "просп. Перемоги"),
    ("Zhandosov St", "ул. Жандосова", "вул. Жандосова"),
    ("Market Lane", "Рыночный пер.", "Ринковий пров."),
]
CURRENCY = {
    "UA": ({"en": "UAH", "ru": "грн", "uk": "грн"}, [500, 1000, 2000, 3000, 5000, 10000]),
    "KZ": ({"en": "KZT", "ru": "тенге", "uk": "тенге"}, [20000, 50000, 100000, 150000]),
    "BY": ({"en": "BYN", "ru": "руб.", "uk": "руб."}, [100, 200, 300, 500]),
    "": ({"en": "USD", "ru": "долларов", "uk": "доларів"}, [50, 100, 200, 300]),
}
# Regions that get most reports (capital, largest cities): weight 6, others 1.
BUSY_REGIONS = {
    "UA": ["UA-30", "UA-63", "UA-51", "UA-12", "UA-46"],
    "KZ": ["KZ-75", "KZ-71", "KZ-79", "KZ-35"],
    "BY": ["BY-HM", "BY-HO", "BY-BR"],
}
PHONES = {
    "UA": ("+380", ["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]),
    "KZ": ("+7", ["700", "701", "702", "705", "707", "747", "771", "775", "777", "778"]),
    "BY": ("+375", ["29", "33", "44", "25"]),
    "MD": ("+373", ["60", "68", "69", "78", "79"]),
    "GE": ("+995", ["555", "557", "568", "571", "591", "599"]),
    "KG": ("+996", ["500", "550", "700", "770", "555"]),
    "": ("+380", ["50", "67", "93"]),
}


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = {
    "ru": _words(
        "Ольга Наталья Елена Ирина Татьяна Светлана Юлия Анна Мария Оксана Екатерина "
        "Людмила Виктория Алёна Дарья Марина Галина Надежда Валентина Кристина"
    ),
    "uk": _words(
        "Ольга Наталія Олена Ірина Тетяна Світлана Юлія Анна Марія Оксана Катерина "
        "Людмила Вікторія Альона Дарина Марина Галина Надія Валентина Христина"
    ),
    "en": _words(
        "Olha Nataliia Olena Iryna Tetiana Svitlana Yuliia Anna Mariia Oksana Kateryna "
        "Liudmyla Viktoriia Alona Daryna Maryna Halyna Nadiia Valentyna Khrystyna"
    ),
}
PATRONYMICS = {
    "ru": _words(
        "Олеговна Викторовна Сергеевна Александровна Ивановна Николаевна Петровна "
        "Андреевна Юрьевна Владимировна"
    ),
    "uk": _words(
        "Олегівна Вікторівна Сергіївна Олександрівна Іванівна Миколаївна Петрівна "
        "Андріївна Юріївна Володимирівна"
    ),
    "en": [],
}
SURNAMES = {
    "ru": _words(
        "Иванова Петрова Смирнова Кузнецова Попова Васильева Соколова Михайлова Новикова "
        "Федорова Морозова Волкова Алексеева Лебедева Семёнова Егорова Павлова Козлова "
        "Ахметова Садыкова Ким Бондаренко Коваленко Шевченко"
    ),
    "uk": _words(
        "Шевченко Бондаренко Коваленко Бойко Ткаченко Кравченко Коваль Олійник Шевчук "
        "Поліщук Мельник Лисенко Марченко Руденко Савченко Петренко Мороз Павленко "
        "Кравчук Гончаренко Іванова Петрова Ахметова Кім"
    ),
    "en": _words(
        "Shevchenko Bondarenko Kovalenko Boiko Tkachenko Kravchenko Koval Oliinyk "
        "Shevchuk Polishchuk Melnyk Lysenko Marchenko Rudenko Savchenko Petrenko Moroz "
        "Pavlenko Ivanova Petrova Akhmetova Kim Sadykova Volkova"
    ),
}
PSEUDONYMS = {
    "ru": _words("Ромашка Лиса Звезда Берёза Ласточка Вишня Рябина Чайка Сова Калина"),
    "uk": _words("Ромашка Лисиця Зірка Берізка Ластівка Вишня Горобина Чайка Сова Калина"),
    "en": _words("Daisy Fox Star Birch Swallow Cherry Rowan Gull Owl Willow"),
}
OFFICER_FIRST = {
    "ru": _words("Андрей Сергей Олег Дмитрий Игорь Виктор Руслан Максим Алексей Николай"),
    "uk": _words("Андрій Сергій Олег Дмитро Ігор Віктор Руслан Максим Олексій Микола"),
    "en": _words("Andrii Serhii Oleh Dmytro Ihor Viktor Ruslan Maksym Oleksii Mykola"),
}
OFFICER_LAST = {
    "ru": _words(
        "Коваленко Петренко Сидоров Иванов Кравец Мельник Ахметов Жумабаев Гончар Лысенко "
        "Бондарь Ткачук Савчук Кузьмин Орлов"
    ),
    "uk": _words(
        "Коваленко Петренко Сидоров Іванов Кравець Мельник Ахметов Жумабаєв Гончар "
        "Лисенко Бондар Ткачук Савчук Кузьмін Орлов"
    ),
    "en": _words(
        "Kovalenko Petrenko Sydorov Ivanov Kravets Melnyk Akhmetov Zhumabaev Honchar "
        "Lysenko Bondar Tkachuk Savchuk Kuzmin Orlov"
    ),
}
RANKS = {
    "ru": ["сержант", "старший сержант", "лейтенант", "старший лейтенант", "капитан", "майор"],
    "uk": ["сержант", "старший сержант", "лейтенант", "старший лейтенант", "капітан", "майор"],
    "en": ["sergeant", "senior sergeant", "lieutenant", "senior lieutenant", "captain", "major"],
}
AGENCIES = {
    "PERP.POLICE.PATROL": ("Patrol police", "Патрульная полиция", "Патрульна поліція"),
    "PERP.POLICE.DRUG": (
        "Drug crime unit",
        "Отдел по борьбе с наркопреступностью",
        "Відділ протидії наркозлочинності",
    ),
    "PERP.POLICE.DISTRICT": ("Police department", "Отдел полиции", "Відділ поліції"),
    "PERP.POLICE.INVESTIGATOR": ("Investigation unit", "Следственный отдел", "Слідчий відділ"),
    "PERP.POLICE.TRANSPORT": ("Metro police", "Полиция метрополитена", "Поліція метрополітену"),
    "PERP.DETENTION_STAFF": (
        "Temporary detention facility",
        "Изолятор временного содержания",
        "Ізолятор тимчасового тримання",
    ),
}
DESCRIPTIONS = {
    "en": ["tall, about 30, scar on the eyebrow", "short, stocky, shaved head", "young, glasses"],
    "ru": [
        "высокий, около 30 лет, шрам на брови",
        "невысокий, плотный, бритый",
        "молодой, в очках",
    ],
    "uk": [
        "високий, близько 30 років, шрам на брові",
        "невисокий, кремезний, голений",
        "молодий, в окулярах",
    ],
}
# Plates and badges use letters that look alike in Latin and Cyrillic, as real plates do.
PLATE_LETTERS = "ABCEHKMOPTX"
TASKS = {
    "en": [
        "Call the client to arrange a meeting",
        "Draft a complaint to the prosecutor",
        "Request the medical certificate",
        "Accompany her to the emergency clinic",
        "Contact the OST site about continuity",
        "Check the reply to the complaint",
    ],
    "ru": [
        "Позвонить клиентке и договориться о встрече",
        "Подготовить жалобу в прокуратуру",
        "Запросить медицинскую справку",
        "Сопроводить в травмпункт",
        "Связаться с сайтом ЗПТ о продолжении терапии",
        "Проверить ответ на жалобу",
    ],
    "uk": [
        "Зателефонувати клієнтці й домовитися про зустріч",
        "Підготувати скаргу до прокуратури",
        "Запросити медичну довідку",
        "Супроводити до травмпункту",
        "Зв’язатися з сайтом ЗПТ щодо продовження терапії",
        "Перевірити відповідь на скаргу",
    ],
}
PLANS = {
    "en": "Legal advice; complaint to the internal oversight unit; follow up in two weeks.",
    "ru": "Юридическая консультация; жалоба в службу внутренней безопасности; "
    "повторный контакт через две недели.",
    "uk": "Юридична консультація; скарга до управління внутрішньої безпеки; "
    "повторний контакт через два тижні.",
}
CHARACTERISTICS = [
    ("CHAR.USES_DRUGS", 0.8),
    ("CHAR.OST_CLIENT", 0.4),
    ("CHAR.HCV", 0.35),
    ("CHAR.HIV", 0.3),
    ("CHAR.MOTHER", 0.35),
    ("CHAR.SEX_WORKER", 0.25),
    ("CHAR.HOMELESS", 0.1),
    ("CHAR.FORMERLY_INCARCERATED", 0.15),
    ("CHAR.IDP", 0.05),
]
CASE_STATUSES = [
    (CaseStatus.NEW, 15),
    (CaseStatus.TRIAGED, 12),
    (CaseStatus.ACTIVE, 35),
    (CaseStatus.MONITORING, 15),
    (CaseStatus.CLOSED, 23),
]
STATUS_PATHS = {
    CaseStatus.NEW: [CaseStatus.NEW],
    CaseStatus.TRIAGED: [CaseStatus.NEW, CaseStatus.TRIAGED],
    CaseStatus.ACTIVE: [CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.ACTIVE],
    CaseStatus.MONITORING: [
        CaseStatus.NEW,
        CaseStatus.TRIAGED,
        CaseStatus.ACTIVE,
        CaseStatus.MONITORING,
    ],
    CaseStatus.CLOSED: [CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.ACTIVE, CaseStatus.CLOSED],
}
# --- a demo year: when reports arrive -------------------------------------------------------

# Relative number of reports per calendar month (January first). Reasoning, from the
# outreach programmes the EHRN brief describes: street outreach and police street
# operations peak in the warm months (more time outside, summer "anti-drug" operations,
# the June 26 campaign), reports dip around the New Year holidays when outreach pauses,
# and autumn brings the year's second peak of raids before the holidays.
# Share of given consents (other than statistics) withdrawn later: outreach workers report
# that a few women step back, mostly from follow-up contact, after a threat or a move.
WITHDRAWN = 0.05
SEASONAL_WEIGHTS = (6, 7, 8, 9, 10, 12, 12, 11, 10, 10, 8, 5)
YEAR_DAYS = 365

# Days from opening a case to an intervention: outreach teams call back within days, legal
# work follows over the next weeks.
CONTACT_DAYS = (0, 0, 1, 1, 2, 3, 4, 6, 9, 14, 21, 30)

INTERVENTIONS = [
    "INTV.LEGAL_ADVICE",
    "INTV.COMPLAINT",
    "INTV.ACCOMPANIMENT",
    "INTV.MEDICAL_DOCUMENTATION",
    "INTV.PSYCHOSOCIAL",
    "INTV.REFERRAL",
    "INTV.OST_IN_CUSTODY",
]

# --- the generator ------------------------------------------------------------------------------


@dataclass
class DemoResult:
    events: int = 0
    people: int = 0
    acts: int = 0
    perpetrators: int = 0
    cases: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Officer:
    lang: str
    name: str
    badge: str
    plate: str
    phone: str
    rank: str
    unit: str
    description: str


# Tables whose rows nobody refers to go in as plain tuples (no model instances, one
# executemany each): (model, field names). Values that are model instances are
# replaced by their primary keys at write time, after their own bulk_create.
CHARACTERISTIC_ROWS = (Person.characteristics.through, ("person", "term"))
METHOD_ROWS = (Act.methods.through, ("act", "term"))
CONSEQUENCE_ROWS = (Act.consequences.through, ("act", "term"))
INVOLVEMENT_ROWS = (Involvement, ("act", "perpetrator", "degree"))
SOURCE_ROWS = (Source, ("event", "source_type", "reliability"))
CONSENT_ROWS = (
    Consent,
    ("organisation", "person", "purpose", "body", "granted", "recorded_by", "recorded_at"),
)
CASE_INCIDENT_ROWS = (Case.incidents.through, ("case", "event"))
CASE_ASSIGNEE_ROWS = (Case.assignees.through, ("case", "user"))
CASE_NEED_ROWS = (Case.needs.through, ("case", "term"))
HISTORY_ROWS = (StatusChange, ("case", "from_status", "to_status", "by", "at"))
TASK_ROWS = (
    Task,
    ("case", "sealed", "due_date", "assignee", "done_at", "created_by", "created_at"),
)
INTERVENTION_ROWS = (
    Intervention,
    ("case", "intervention_type", "date", "by", "authority_response", "created_at"),
)
Table = tuple[type[models.Model], tuple[str, ...]]


@dataclass
class _Batch:
    """Rows of one batch, in insertion order."""

    events: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    perpetrators: list[Perpetrator] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    rows: dict[Table, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: Table, *values: Any) -> None:
        self.rows.setdefault(table, []).append(values)


class _Keys:
    """Data keys for sealing: one per batch (default) or one per record."""

    def __init__(self, organisation: Organisation, fresh: bool) -> None:
        self.public = organisation_public_key(organisation)
        self.fresh = fresh
        self.renew()

    def renew(self) -> None:
        self.key = crypto.new_key()
        self.sealed = crypto.seal_to(self.public, self.key)

    def take(self, row: Any) -> bytes:
        """Give ``row`` a sealed data key; return the key to seal its fields with."""
        if self.fresh:
            key = crypto.new_key()
            row.sealed_key = crypto.seal_to(self.public, key)
            return key
        row.sealed_key = self.sealed
        return self.key


class _Generator:
    def __init__(
        self,
        organisation: Organisation,
        org_private_key: bytes,
        rng: random.Random,
        fresh_keys: bool,
        window_days: int = 3 * YEAR_DAYS,
    ) -> None:
        if crypto.public_of(org_private_key) != organisation_public_key(organisation):
            raise ValueError("this private key does not belong to the organisation")
        self.org = organisation
        self.rng = rng
        self.index_key = crypto.blind_index_key(org_private_key)
        self.keys = _Keys(organisation, fresh_keys)
        self.now = timezone.now()
        today = timezone.localdate(self.now)
        # Days back from today, weighted by the season of the day they fall on.
        self.days_back = list(range(window_days))
        self.day_weights = list(
            itertools.accumulate(
                SEASONAL_WEIGHTS[(today - datetime.timedelta(days=d)).month - 1]
                for d in self.days_back
            )
        )
        self.terms = {t.code: t.pk for t in Term.objects.filter(organisation__isnull=True)}
        self.langs = [lang for lang in organisation.languages if lang in LANGS] or ["ru"]
        country = organisation.country
        self.country = country
        self.regions = [r.code for r in regions.regions_of(country)] or [""]
        busy = set(BUSY_REGIONS.get(country, []))
        self.region_weights = [6 if code in busy else 1 for code in self.regions]
        self.stations = STATIONS.get(country, STATIONS[""])
        self.currency = CURRENCY.get(country, CURRENCY[""])
        self.phone_prefix = PHONES.get(country, PHONES[""])
        members = list(
            Membership.objects.filter(organisation=organisation, is_active=True).values_list(
                "user_id", "role"
            )
        )
        team_roles = {Role.COORDINATOR, Role.CASEWORKER, Role.LAWYER}
        self.team = [uid for uid, role in members if role in team_roles]
        self.hotline = [uid for uid, role in members if role == Role.HOTLINE] or self.team
        self.officers = [self._officer() for _ in range(40)]
        self.recent_people: list[Person] = []

    # small helpers

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def lang(self) -> str:
        weights = [6, 3, 1][: len(self.langs)]
        return self.rng.choices(self.langs, weights=weights)[0]

    def term(self, code: str | None) -> int | None:
        return self.terms.get(code) if code else None

    def phone(self) -> str:
        code, operators = self.phone_prefix
        digits = f"{self.rng.randrange(10**7):07d}"
        return f"{code} {self.pick(operators)} {digits[:3]} {digits[3:5]} {digits[5:]}"

    def _officer(self) -> Officer:
        lang = self.lang()
        badge_digits = 7 if self.country == "UA" else 6
        letters = "".join(self.pick(PLATE_LETTERS) for _ in range(4))
        number = self.rng.randrange(10000)
        if self.country == "KZ":
            plate = f"{number % 1000:03d} {letters[:3]} {self.rng.randrange(1, 20):02d}"
        else:
            plate = f"{letters[:2]} {number:04d} {letters[2:]}"
        return Officer(
            lang=lang,
            name=f"{self.pick(OFFICER_FIRST[lang])} {self.pick(OFFICER_LAST[lang])}",
            badge=f"{self.rng.randrange(10**badge_digits):0{badge_digits}d}",
            plate=plate,
            phone=self.phone(),
            rank=self.pick(RANKS[lang]),
            unit=f"№{self.rng.randrange(1, 15)}",
            description=self.pick(DESCRIPTIONS[lang]),
        )

    def bidx(self, kind: str, value: str) -> str:
        return crypto.blind_index(self.index_key, kind, value, region=self.country)

    def when(self, start: datetime.date, days: int) -> datetime.datetime:
        moment = datetime.datetime.combine(start, datetime.time(9)) + datetime.timedelta(
            days=days, minutes=self.rng.randrange(10 * 60)
        )
        return min(timezone.make_aware(moment), self.now)

    # one incident

    def incident(self, batch: _Batch, number: int) -> None:
        rng = self.rng
        scenario = rng.choices(SCENARIOS, weights=[s.weight for s in SCENARIOS])[0]
        lang = self.lang()
        back = rng.choices(self.days_back, cum_weights=self.day_weights)[0]
        start = timezone.localdate(self.now) - datetime.timedelta(days=back)
        created_at = self.when(start, rng.randrange(0, 10))
        channel = rng.choices(
            [
                SourceChannel.OUTREACH,
                SourceChannel.HOTLINE,
                SourceChannel.WEB,
                SourceChannel.PARTNER,
            ],
            weights=[5, 2, 2, 1],
        )[0]
        creators = self.hotline if channel == SourceChannel.HOTLINE else self.team
        created_by = self.pick(creators) if creators else None
        draft = rng.random() < 0.05
        region = rng.choices(self.regions, weights=self.region_weights)[0]
        fill = self.fill(lang)
        event = Event(
            organisation=self.org,
            number=number,
            status=EventStatus.DRAFT if draft else EventStatus.RECORDED,
            wizard_step="acts" if draft else "review",
            start_date=start,
            start_precision=rng.choices(
                [DatePrecision.EXACT, DatePrecision.MONTH, DatePrecision.ESTIMATE], [8, 1, 1]
            )[0],
            # Custody lasts days; everything else happened on one day.
            end_date=start + datetime.timedelta(days=int(fill["days"]))
            if scenario.place == "PLACE.DETENTION"
            else None,
            country=self.country,
            region=region,
            place_type_id=self.term(scenario.place),
            source_channel=channel,
            violation_status_id=None
            if draft
            else self.term(
                rng.choices(["VST.POSSIBLE", "VST.LIKELY", "VST.CONFIRMED", None], [3, 3, 2, 2])[0]
            ),
            created_by_id=created_by,
            created_at=created_at,
            updated_at=created_at + datetime.timedelta(hours=rng.randrange(48)),
        )
        key = self.keys.take(event)
        title = scenario.title[lang].format(**fill)
        narrative = scenario.narrative[lang].format(**fill)
        event.sealed = crypto.encrypt_json(
            key,
            {
                "title": title,
                "summary": narrative.split(". ")[0].rstrip(".") + ".",
                "narrative": narrative,
                "city": "",
                "place_detail": fill["station"] if scenario.place == "PLACE.TRANSPORT" else "",
            },
        )
        batch.events.append(event)

        victims = [self.victim(batch, lang, created_by, created_at)]
        if rng.random() < 0.08:
            victims.append(self.victim(batch, lang, created_by, created_at))
        stats = True
        for victim in victims:
            stats = self.consents(batch, victim, created_by, created_at) and stats
        event.stats_consent = stats

        acts = []
        for victim in victims:
            for code in scenario.acts[: rng.randint(1, len(scenario.acts))]:
                act = Act(
                    event=event,
                    victim=victim,
                    act_type_id=self.terms[code],
                    status_at_end_id=self.term(scenario.status),
                )
                batch.acts.append(act)
                acts.append(act)
                for method in scenario.methods:
                    if rng.random() < 0.7:
                        batch.add(METHOD_ROWS, act, self.terms[method])
                if code == scenario.acts[0]:
                    for consequence in scenario.consequences:
                        batch.add(CONSEQUENCE_ROWS, act, self.terms[consequence])
        self.perpetrators(batch, event, key, scenario, acts)
        batch.add(
            SOURCE_ROWS,
            event,
            self.term(
                rng.choices(
                    ["SRC.VICTIM", "SRC.OUTREACH", "SRC.HOTLINE", "SRC.WITNESS"], [12, 5, 2, 1]
                )[0]
            ),
            self.term(rng.choices(["REL.HIGH", "REL.MEDIUM", "REL.LOW"], [5, 4, 1])[0]),
        )
        if not draft and self.team and rng.random() < 0.35:
            self.case(batch, event, victims[0], scenario, lang, created_at)

    def fill(self, lang: str) -> dict[str, str]:
        index = LANGS.index(lang)
        names, amounts = self.currency
        return {
            "when": self.pick(WHEN[lang]),
            "station": self.pick(self.stations)[index],
            "street": self.pick(STREETS)[index],
            "amount": f"{self.pick(amounts):,}".replace(",", "\u00a0"),
            "currency": names[lang],
            "hours": str(self.rng.randint(2, 6)),
            "days": str(self.rng.randint(2, 4)),
        }

    def victim(
        self, batch: _Batch, lang: str, created_by: int | None, at: datetime.datetime
    ) -> Person:
        rng = self.rng
        # Some women come back with a new incident: the same person, as triage would link her.
        if self.recent_people and rng.random() < 0.08:
            return self.pick(self.recent_people)
        shape = rng.random()
        first, last = self.pick(FIRST_NAMES[lang]), self.pick(SURNAMES[lang])
        if shape < 0.55 and PATRONYMICS[lang]:
            name = f"{last} {first} {self.pick(PATRONYMICS[lang])}"
        elif shape < 0.85:
            name = f"{first} {last}"
        else:
            name = ""  # she gave no name
        phone = self.phone() if rng.random() < 0.7 else ""
        person = Person(
            organisation=self.org,
            pseudonym=f"{self.pick(PSEUDONYMS[lang])}-{rng.randrange(100, 1000)}",
            name_bidx=self.bidx("name", name),
            phone_bidx=self.bidx("phone", phone),
            sex=Sex.FEMALE,
            age_band=rng.choices(
                [AgeBand.A18, AgeBand.A25, AgeBand.A35, AgeBand.A45, AgeBand.A55, AgeBand.UNKNOWN],
                [2, 5, 5, 3, 1, 1],
            )[0],
            created_by_id=created_by,
            created_at=at,
        )
        key = self.keys.take(person)
        person.sealed = crypto.encrypt_json(
            key, {"legal_name": name, "phone": phone, "address": "", "contact_notes": ""}
        )
        chosen = [code for code, p in CHARACTERISTICS if rng.random() < p] or ["CHAR.USES_DRUGS"]
        person.primary_group_id = self.terms[chosen[0]]
        batch.people.append(person)
        for code in chosen:
            batch.add(CHARACTERISTIC_ROWS, person, self.terms[code])
        self.recent_people.append(person)
        if len(self.recent_people) > 5000:
            del self.recent_people[:1000]
        return person

    def consents(
        self, batch: _Batch, person: Person, by: int | None, at: datetime.datetime
    ) -> bool:
        if by is None:
            return False
        stats = self.rng.random() < 0.85
        decisions = [
            (ConsentPurpose.STATISTICS, stats),
            (ConsentPurpose.FOLLOW_UP, self.rng.random() < 0.75),
            (ConsentPurpose.MATCHING, self.rng.random() < 0.45),
        ]
        if self.rng.random() < 0.2:
            decisions.append((ConsentPurpose.ALERT, True))
        if self.rng.random() < 0.15:
            decisions.append((ConsentPurpose.POLICE_ANONYMISED, self.rng.random() < 0.5))
        for purpose, granted in decisions:
            batch.add(CONSENT_ROWS, self.org.pk, person, purpose, "", granted, by, at)
        # Some women later withdraw a consent they gave: a newer row that says no.
        for purpose, granted in decisions:
            if granted and purpose != ConsentPurpose.STATISTICS and self.rng.random() < WITHDRAWN:
                later = min(at + datetime.timedelta(days=self.rng.randrange(3, 90)), self.now)
                batch.add(CONSENT_ROWS, self.org.pk, person, purpose, "", False, by, later)
        return stats

    def perpetrators(
        self, batch: _Batch, event: Event, key: bytes, scenario: Scenario, acts: list[Act]
    ) -> None:
        rng = self.rng
        count = rng.choices([0, 1, 2], [1, 6, 3])[0]
        index = LANGS.index(self.lang())
        for position in range(count):
            officer = self.pick(self.officers) if rng.random() < 0.6 else self._officer()
            known = {
                "name": officer.name if rng.random() < 0.3 else "",
                "badge": officer.badge if rng.random() < 0.45 else "",
                "plate": officer.plate
                if scenario.place in {"PLACE.POLICE_VEHICLE", "PLACE.CHECKPOINT"}
                and rng.random() < 0.6
                else "",
                "phone": officer.phone if rng.random() < 0.08 else "",
            }
            agency = AGENCIES.get(scenario.perpetrator, AGENCIES["PERP.POLICE.DISTRICT"])
            values = {
                **known,
                "agency": agency[index],
                "unit": officer.unit,
                "rank": officer.rank if rng.random() < 0.5 else "",
                "description": officer.description if rng.random() < 0.4 else "",
            }
            perpetrator = Perpetrator(
                event=event,
                perpetrator_type_id=self.term(scenario.perpetrator),
                sealed=crypto.encrypt_json(key, values),
                name_bidx=self.bidx("name", known["name"]),
                badge_bidx=self.bidx("badge", known["badge"]),
                plate_bidx=self.bidx("plate", known["plate"]),
                phone_bidx=self.bidx("phone", known["phone"]),
            )
            batch.perpetrators.append(perpetrator)
            degree = self.terms["INV.DID_IT" if position == 0 else "INV.PRESENT"]
            for act in acts:
                batch.add(INVOLVEMENT_ROWS, act, perpetrator, degree)

    def case(
        self,
        batch: _Batch,
        event: Event,
        client: Person,
        scenario: Scenario,
        lang: str,
        at: datetime.datetime,
    ) -> None:
        rng = self.rng
        status = rng.choices([s for s, _ in CASE_STATUSES], [w for _, w in CASE_STATUSES])[0]
        opened_at = min(at + datetime.timedelta(days=rng.randrange(5)), self.now)
        opener = self.pick(self.team)
        case = Case(
            organisation=self.org,
            client=client,
            status=status,
            opened_by_id=opener,
            opened_at=opened_at,
        )
        key = self.keys.take(case)
        case.sealed = crypto.encrypt_json(key, {"needs_notes": "", "plan": PLANS[lang]})
        moment = opened_at
        path = STATUS_PATHS[status]
        for previous, current in zip(["", *path], path, strict=False):
            batch.add(HISTORY_ROWS, case, previous, current, opener, moment)
            moment = min(moment + datetime.timedelta(days=rng.randrange(1, 20)), self.now)
        if status == CaseStatus.CLOSED:
            case.closed_at = moment
            case.closure_requested_by_id = opener
            case.closure_requested_at = moment
            case.closure_checklist = {k: True for k, _label in CLOSURE_CHECKLIST}
            case.outcome_id = self.term(
                rng.choices(
                    [
                        "OUTC.RESOLVED_FULLY",
                        "OUTC.RESOLVED_PARTIALLY",
                        "OUTC.NOT_RESOLVED",
                        "OUTC.LOST_CONTACT",
                    ],
                    [3, 4, 2, 1],
                )[0]
            )
        case.updated_at = moment
        batch.cases.append(case)
        batch.add(CASE_INCIDENT_ROWS, case, event)
        assignees = {opener, *(rng.sample(self.team, k=min(len(self.team), rng.randint(0, 1))))}
        for uid in assignees:
            batch.add(CASE_ASSIGNEE_ROWS, case, uid)
        for code in scenario.needs:
            batch.add(CASE_NEED_ROWS, case, self.terms[code])
        for _ in range(rng.randint(0, 3)):
            due = (opened_at + datetime.timedelta(days=rng.randrange(3, 40))).date()
            batch.add(
                TASK_ROWS,
                case,
                crypto.encrypt_text(key, self.pick(TASKS[lang])),
                due,
                self.pick(sorted(assignees)),
                moment if status == CaseStatus.CLOSED or rng.random() < 0.4 else None,
                opener,
                opened_at,
            )
        if status in {CaseStatus.ACTIVE, CaseStatus.MONITORING, CaseStatus.CLOSED}:
            for _ in range(rng.randint(1, 3)):
                kind = self.pick(INTERVENTIONS)
                response = None
                if kind == "INTV.COMPLAINT":
                    response = self.term(
                        self.pick(
                            [
                                "RESP.NO_RESPONSE",
                                "RESP.TOKEN",
                                "RESP.CASE_REFUSED",
                                "RESP.FAVOURABLE.DISCIPLINE",
                            ]
                        )
                    )
                batch.add(
                    INTERVENTION_ROWS,
                    case,
                    self.terms[kind],
                    (opened_at + datetime.timedelta(days=rng.choice(CONTACT_DAYS))).date(),
                    self.pick(sorted(assignees)),
                    response,
                    opened_at,
                )

    # writing

    def write(self, batch: _Batch, first_case_number: int) -> None:
        # Rows that others refer to: bulk_create, which sets their primary keys.
        Event.objects.bulk_create(batch.events)
        Person.objects.bulk_create([p for p in batch.people if p.pk is None])
        Act.objects.bulk_create(batch.acts)
        Perpetrator.objects.bulk_create(batch.perpetrators)
        for offset, case in enumerate(batch.cases):
            case.number = first_case_number + offset
        Case.objects.bulk_create(batch.cases)
        for (model, names), rows in batch.rows.items():
            insert_rows(model, names, rows)


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT plain rows with one executemany; model instances among the values become pks.

    Skips the ORM's per-object work (about half of the generation time with
    bulk_create); values are adapted only where the database needs it (dates,
    times, bytes).
    """
    if not rows:
        return
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    adapt = [
        (lambda v, f=f: f.get_db_prep_save(v, connection))
        if isinstance(f, models.DateField | models.BinaryField)
        else None
        for f in fields
    ]
    quote = connection.ops.quote_name
    # Identifiers come from model metadata (quoted); values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - no user input in the SQL
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        tuple(
            (v.pk if isinstance(v, models.Model) else v) if a is None or v is None else a(v)
            for v, a in zip(row, adapt, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


@contextmanager
def historic_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the timestamps we set instead of stamping "now".

    Flips auto_now/auto_now_add off on these models' fields for the duration
    (process-wide: for a management command or a benchmark, not a web server).
    """
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def create_incidents(
    organisation: Organisation,
    org_private_key: bytes,
    n: int,
    progress: Progress | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    seed: int | None = None,
    fresh_keys: bool = False,
    acting_user: User | None = None,
    window_days: int = 3 * YEAR_DAYS,
) -> DemoResult:
    """Generate ``n`` demo incidents with victims, acts, perpetrators and cases."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    generator = _Generator(organisation, org_private_key, rng, fresh_keys, window_days)
    result = DemoResult()
    done = 0
    with historic_timestamps(Event, Person, Consent, Case, StatusChange, Task, Intervention):
        while done < n:
            size = min(batch_size, n - done)
            with transaction.atomic():
                first_event = next_number(Event, organisation.pk)  # locks the organisation row
                first_case = next_number(Case, organisation.pk)
                batch = _Batch()
                if not fresh_keys:
                    generator.keys.renew()
                for offset in range(size):
                    generator.incident(batch, first_event + offset)
                generator.write(batch, first_case)
            done += size
            result.events += len(batch.events)
            result.people += len({id(p) for p in batch.people})
            result.acts += len(batch.acts)
            result.perpetrators += len(batch.perpetrators)
            result.cases += len(batch.cases)
            if progress is not None:
                progress(done, n)
    record(acting_user, "demo.generate", organisation=organisation, target=organisation, count=n)
    result.seconds = time.perf_counter() - started
    return result
