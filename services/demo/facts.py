"""Finnish facts the demo data is built from: municipal centres, districts, holidays, regions, streets."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Centre:
    genitive_fi: str
    is_town: bool
    latitude: float
    longitude: float


@cache
def municipality_centres() -> dict[str, Centre]:
    """Municipality code → Finnish genitive, town status and the WGS84 point of its centre."""
    with open(DATA_DIR / "municipality_centres.csv", encoding="utf-8", newline="") as f:
        return {
            row["municipality_code"]: Centre(
                row["genitive_fi"], row["is_town"] == "1", float(row["latitude"]), float(row["longitude"])
            )
            for row in csv.DictReader(f)
        }


@dataclass(frozen=True)
class Region:
    genitive_fi: str  # "Pirkanmaan"
    name_sv: str  # "Birkaland"
    name_en: str  # "Pirkanmaa"
    key: str  # ASCII, for demo web and e-mail addresses
    seat: str  # Finnish name of the town where the area's central services are
    phone_area: str  # trunk code without the 0


REGIONS = {
    "01": Region("Itä-Uudenmaan", "Östra Nyland", "East Uusimaa", "ita-uusimaa", "Porvoo", "19"),
    "02": Region("Keski-Uudenmaan", "Mellersta Nyland", "Central Uusimaa", "keski-uusimaa", "Järvenpää", "9"),
    "03": Region("Länsi-Uudenmaan", "Västra Nyland", "West Uusimaa", "lansi-uusimaa", "Espoo", "9"),
    "04": Region("Vantaan ja Keravan", "Vanda och Kervo", "Vantaa and Kerava", "vantaa-kerava", "Vantaa", "9"),
    "05": Region("Varsinais-Suomen", "Egentliga Finland", "Southwest Finland", "varsinais-suomi", "Turku", "2"),
    "06": Region("Satakunnan", "Satakunta", "Satakunta", "satakunta", "Pori", "2"),
    "07": Region("Kanta-Hämeen", "Egentliga Tavastland", "Kanta-Häme", "kanta-hame", "Hämeenlinna", "3"),
    "08": Region("Pirkanmaan", "Birkaland", "Pirkanmaa", "pirkanmaa", "Tampere", "3"),
    "09": Region("Päijät-Hämeen", "Päijänne-Tavastland", "Päijät-Häme", "paijat-hame", "Lahti", "3"),
    "10": Region("Kymenlaakson", "Kymmenedalen", "Kymenlaakso", "kymenlaakso", "Kouvola", "5"),
    "11": Region("Etelä-Karjalan", "Södra Karelen", "South Karelia", "etela-karjala", "Lappeenranta", "5"),
    "12": Region("Etelä-Savon", "Södra Savolax", "South Savo", "etela-savo", "Mikkeli", "15"),
    "13": Region("Pohjois-Savon", "Norra Savolax", "North Savo", "pohjois-savo", "Kuopio", "17"),
    "14": Region("Pohjois-Karjalan", "Norra Karelen", "North Karelia", "pohjois-karjala", "Joensuu", "13"),
    "15": Region("Keski-Suomen", "Mellersta Finland", "Central Finland", "keski-suomi", "Jyväskylä", "14"),
    "16": Region("Etelä-Pohjanmaan", "Södra Österbotten", "South Ostrobothnia", "etela-pohjanmaa", "Seinäjoki", "6"),
    "17": Region("Pohjanmaan", "Österbotten", "Ostrobothnia", "pohjanmaa", "Vaasa", "6"),
    "18": Region(
        "Keski-Pohjanmaan", "Mellersta Österbotten", "Central Ostrobothnia", "keski-pohjanmaa", "Kokkola", "6"
    ),
    "19": Region("Pohjois-Pohjanmaan", "Norra Österbotten", "North Ostrobothnia", "pohjois-pohjanmaa", "Oulu", "8"),
    "20": Region("Kainuun", "Kajanaland", "Kainuu", "kainuu", "Kajaani", "8"),
    "21": Region("Lapin", "Lappland", "Lapland", "lappi", "Rovaniemi", "16"),
    "90": Region("Helsingin", "Helsingfors", "Helsinki", "helsinki", "Helsinki", "9"),
}

# Municipalities in the Sámi homeland, where services are also given in Northern Sámi.
SAMI_HOMELAND = {"047", "148", "890", "758"}  # Enontekiö, Inari, Utsjoki, Sodankylä


@dataclass(frozen=True)
class District:
    fi: str
    genitive_fi: str
    sv: str


def _d(spec: str) -> list[District]:
    return [District(*part.split("/")) for part in spec.split(";")]


# Real districts of the larger towns: name, Finnish genitive, Swedish name.
DISTRICTS = {
    "Helsinki": _d(
        "Kallio/Kallion/Berghäll;Kontula/Kontulan/Gårdsbacka;Malmi/Malmin/Malm;Vuosaari/Vuosaaren/Nordsjö;"
        "Herttoniemi/Herttoniemen/Hertonäs;Kannelmäki/Kannelmäen/Gamlas;Lauttasaari/Lauttasaaren/Drumsö;"
        "Munkkiniemi/Munkkiniemen/Munksnäs;Myllypuro/Myllypuron/Kvarnbäcken;Maunula/Maunulan/Månsas;"
        "Töölö/Töölön/Tölö;Jakomäki/Jakomäen/Jakobacka;Pasila/Pasilan/Böle;Puistola/Puistolan/Parkstad;"
        "Pihlajamäki/Pihlajamäen/Rönnbacka;Malminkartano/Malminkartanon/Malmgård"
    ),
    "Espoo": _d(
        "Tapiola/Tapiolan/Hagalund;Leppävaara/Leppävaaran/Alberga;Espoon keskus/Espoon keskuksen/Esbo centrum;"
        "Matinkylä/Matinkylän/Mattby;Espoonlahti/Espoonlahden/Esboviken;Kauklahti/Kauklahden/Köklax;"
        "Olari/Olarin/Olars;Kivenlahti/Kivenlahden/Stensvik"
    ),
    "Vantaa": _d(
        "Tikkurila/Tikkurilan/Dickursby;Myyrmäki/Myyrmäen/Myrbacka;Hakunila/Hakunilan/Håkansböle;"
        "Korso/Korson/Korso;Koivukylä/Koivukylän/Björkby;Martinlaakso/Martinlaakson/Mårtensdal;"
        "Kivistö/Kivistön/Kivistö"
    ),
    "Tampere": _d(
        "Hervanta/Hervannan/Hervanta;Kaleva/Kalevan/Kaleva;Lielahti/Lielahden/Lielahti;Tesoma/Tesoman/Tesoma;"
        "Linnainmaa/Linnainmaan/Linnainmaa;Peltolammi/Peltolammin/Peltolammi;Vuores/Vuoreksen/Vuores;"
        "Kaukajärvi/Kaukajärven/Kaukajärvi"
    ),
    "Turku": _d(
        "Varissuo/Varissuon/Varissuo;Runosmäki/Runosmäen/Runosbacken;Hirvensalo/Hirvensalon/Hirvensalo;"
        "Nummi/Nummen/Nummis;Pansio/Pansion/Pansio;Skanssi/Skanssin/Skansen"
    ),
    "Oulu": _d(
        "Tuira/Tuiran/Tuira;Kaijonharju/Kaijonharjun/Kaijonharju;Kaakkuri/Kaakkurin/Kaakkuri;"
        "Haukipudas/Haukiputaan/Haukipudas;Kiiminki/Kiimingin/Kiiminki;Myllyoja/Myllyojan/Myllyoja;"
        "Rajakylä/Rajakylän/Rajakylä"
    ),
    "Jyväskylä": _d(
        "Kortepohja/Kortepohjan/Kortepohja;Huhtasuo/Huhtasuon/Huhtasuo;Vaajakoski/Vaajakosken/Vaajakoski;"
        "Palokka/Palokan/Palokka;Kuokkala/Kuokkalan/Kuokkala;Keljonkangas/Keljonkankaan/Keljonkangas"
    ),
    "Kuopio": _d(
        "Petonen/Petosen/Petonen;Saaristokaupunki/Saaristokaupungin/Saaristokaupunki;"
        "Neulamäki/Neulamäen/Neulamäki;Puijonlaakso/Puijonlaakson/Puijonlaakso;Levänen/Leväsen/Levänen"
    ),
    "Lahti": _d(
        "Kärpänen/Kärppäsen/Kärpänen;Liipola/Liipolan/Liipola;Mukkula/Mukkulan/Mukkula;"
        "Jalkaranta/Jalkarannan/Jalkaranta;Renkomäki/Renkomäen/Renkomäki"
    ),
}

# How many districts each larger town gets at scale 1 (the others get one: the centre).
BASE_DISTRICTS = {"Helsinki": 8, "Espoo": 5, "Vantaa": 4, "Tampere": 5, "Turku": 4, "Oulu": 4}
BASE_DISTRICTS_OTHER_BIG = 3  # towns in DISTRICTS not listed above
BASE_DISTRICTS_TOWN = 2  # other towns (kaupunki): the centre and one more

# Parts of made-up district names, for towns beyond the real districts and for --scale.
_PREFIXES = [
    ("Koivu", "Björk"),
    ("Mänty", "Tall"),
    ("Kuusi", "Gran"),
    ("Pihlaja", "Rönn"),
    ("Leppä", "Al"),
    ("Tammi", "Ek"),
    ("Vaahtera", "Lönn"),
    ("Kallio", "Häll"),
    ("Kivi", "Sten"),
    ("Myllyn", "Kvarn"),
    ("Kirkon", "Kyrk"),
    ("Hiekka", "Sand"),
    ("Niitty", "Äng"),
    ("Pelto", "Åker"),
    ("Lähde", "Käll"),
    ("Ranta", "Strand"),
]
_SUFFIXES = [
    ("mäki", "mäen", "backa"),
    ("niemi", "niemen", "näs"),
    ("lahti", "lahden", "vik"),
    ("rinne", "rinteen", "sluttning"),
    ("harju", "harjun", "åsen"),
    ("kylä", "kylän", "by"),
    ("laakso", "laakson", "dal"),
    ("puisto", "puiston", "parken"),
    ("saari", "saaren", "holm"),
    ("joki", "joen", "å"),
    ("metsä", "metsän", "skog"),
    ("koski", "kosken", "fors"),
]


def synthetic_districts():
    """An endless, fixed sequence of plausible bilingual district names."""
    for suffix in _SUFFIXES:
        for prefix in _PREFIXES:
            yield District(prefix[0] + suffix[0], prefix[0] + suffix[1], prefix[1] + suffix[2])
    n = 2
    while True:
        for suffix in _SUFFIXES:
            for prefix in _PREFIXES:
                name = f"{prefix[0]}{suffix[0]} {n}"
                yield District(name, f"{prefix[0]}{suffix[1]} {n}", f"{prefix[1]}{suffix[2]} {n}")
        n += 1


# Street names in Finnish and Swedish (common, generic names found in many towns).
STREETS = [
    ("Koulukatu", "Skolgatan"),
    ("Kirkkokatu", "Kyrkogatan"),
    ("Keskuskatu", "Centralgatan"),
    ("Asemakatu", "Stationsgatan"),
    ("Rantakatu", "Strandgatan"),
    ("Puistokatu", "Parkgatan"),
    ("Torikatu", "Torggatan"),
    ("Kauppakatu", "Handelsgatan"),
    ("Sairaalakatu", "Sjukhusgatan"),
    ("Terveystie", "Hälsovägen"),
    ("Kirkkotie", "Kyrkvägen"),
    ("Koulutie", "Skolvägen"),
    ("Myllytie", "Kvarnvägen"),
    ("Rantatie", "Strandvägen"),
    ("Kauppatie", "Handelsvägen"),
    ("Urheilutie", "Idrottsvägen"),
    ("Kalliotie", "Hällvägen"),
    ("Koivukuja", "Björkgränden"),
    ("Pajatie", "Smedjevägen"),
    ("Tehtaankatu", "Fabriksgatan"),
    ("Satamakatu", "Hamngatan"),
    ("Kartanontie", "Gårdsvägen"),
    ("Postikatu", "Postgatan"),
    ("Raatihuoneenkatu", "Rådhusgatan"),
]


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    fi: str
    sv: str
    en: str


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def holidays(year: int) -> list[Holiday]:
    """The Finnish public holidays and eves on which family services are usually closed."""
    easter = easter_sunday(year)
    midsummer_eve = dt.date(year, 6, 19) + dt.timedelta(days=(4 - dt.date(year, 6, 19).weekday()) % 7)
    return [
        Holiday(dt.date(year, 1, 1), "Uudenvuodenpäivä", "Nyårsdagen", "New Year’s Day"),
        Holiday(dt.date(year, 1, 6), "Loppiainen", "Trettondagen", "Epiphany"),
        Holiday(easter - dt.timedelta(days=2), "Pitkäperjantai", "Långfredagen", "Good Friday"),
        Holiday(easter + dt.timedelta(days=1), "2. pääsiäispäivä", "Annandag påsk", "Easter Monday"),
        Holiday(dt.date(year, 5, 1), "Vappu", "Första maj", "May Day"),
        Holiday(easter + dt.timedelta(days=39), "Helatorstai", "Kristi himmelsfärdsdag", "Ascension Day"),
        Holiday(midsummer_eve, "Juhannusaatto", "Midsommarafton", "Midsummer Eve"),
        Holiday(dt.date(year, 12, 6), "Itsenäisyyspäivä", "Självständighetsdagen", "Independence Day"),
        Holiday(dt.date(year, 12, 24), "Jouluaatto", "Julafton", "Christmas Eve"),
        Holiday(dt.date(year, 12, 25), "Joulupäivä", "Juldagen", "Christmas Day"),
        Holiday(dt.date(year, 12, 26), "Tapaninpäivä", "Annandag jul", "Boxing Day"),
    ]
