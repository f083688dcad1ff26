"""Official languages of bilingual and Swedish-speaking municipalities (decree on linguistic status 2023–2032).

Every municipality not listed is Finnish-speaking. Codes are Statistics Finland municipality codes.
"""

SWEDISH = {"280", "440", "545"}  # Korsnäs, Larsmo, Närpes
SWEDISH_MAJORITY = {
    "149",  # Ingå
    "288",  # Kronoby
    "322",  # Kimitoön
    "445",  # Pargas
    "475",  # Malax
    "499",  # Korsholm
    "598",  # Jakobstad
    "599",  # Pedersöre
    "710",  # Raseborg
    "287",  # Kristinestad
    "893",  # Nykarleby
    "946",  # Vörå
}
FINNISH_MAJORITY = {
    "049",  # Espoo
    "078",  # Hanko
    "091",  # Helsinki
    "092",  # Vantaa
    "231",  # Kaskinen
    "235",  # Kauniainen
    "257",  # Kirkkonummi
    "272",  # Kokkola
    "407",  # Lapinjärvi
    "434",  # Loviisa
    "638",  # Porvoo
    "753",  # Sipoo
    "755",  # Siuntio
    "853",  # Turku
    "905",  # Vaasa
}


def language_of(code: str) -> str:
    if code in SWEDISH:
        return "sv"
    if code in SWEDISH_MAJORITY:
        return "sv-fi"
    if code in FINNISH_MAJORITY:
        return "fi-sv"
    return "fi"
