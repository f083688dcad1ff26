"""The family-centre service classes (THL's service list) and life situations, in fi/sv/en.

Loaded by a data migration and kept in code so that a later migration can add or rename terms.
Each service class maps to the PTV service class (ptvserclass2) where one fits.
"""

PTV_CLASS_URI = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/"
PTV_LIFE_EVENT_URI = "http://uri.suomi.fi/codelist/ptv/ptvelti/code/"

# code, PTV code, fi, sv, en
SERVICE_CLASSES = [
    ("maternity-clinic", "P5.2", "Äitiysneuvola", "Mödrarådgivning", "Maternity clinic"),
    ("child-health-clinic", "P5.2", "Lastenneuvola", "Barnrådgivning", "Child health clinic"),
    ("family-planning", "P5.2", "Perhesuunnitteluneuvola", "Familjeplaneringsrådgivning", "Family planning clinic"),
    ("school-health-care", "P5.9", "Kouluterveydenhuolto", "Skolhälsovård", "School health care"),
    ("student-health-care", "P5.9", "Opiskeluterveydenhuolto", "Studerandehälsovård", "Student health care"),
    ("sexual-health-clinic", "P5.2", "Seksuaaliterveysneuvola", "Sexualhälsomottagning", "Sexual health clinic"),
    ("family-social-work", "P3.6", "Perhesosiaalityö", "Familjesocialarbete", "Family social work"),
    (
        "home-help-for-families",
        "P3.6",
        "Lapsiperheiden kotipalvelu",
        "Hemservice för barnfamiljer",
        "Home help for families with children",
    ),
    ("family-law-services", "P3.5", "Perheoikeudelliset palvelut", "Familjerättsliga tjänster", "Family law services"),
    (
        "family-counselling",
        "P3.7",
        "Kasvatus- ja perheneuvonta",
        "Uppfostrings- och familjerådgivning",
        "Family counselling",
    ),
    (
        "child-youth-mental-health",
        "P5.7",
        "Lasten ja nuorten mielenterveyspalvelut",
        "Mentalvårdstjänster för barn och unga",
        "Child and youth mental health services",
    ),
    ("rehabilitation", "P5.13", "Kuntoutus", "Rehabilitering", "Rehabilitation"),
    (
        "specialist-consultation",
        "P5.6",
        "Erityistason konsultaatio (erikoissairaanhoito, lastensuojelu)",
        "Konsultation på specialnivå (specialiserad sjukvård, barnskydd)",
        "Specialist consultation (specialised care, child welfare)",
    ),
    (
        "early-education-and-school",
        "P3.4",
        "Varhaiskasvatus ja koulu",
        "Småbarnspedagogik och skola",
        "Early childhood education and school",
    ),
    ("youth-services", "P28", "Nuorisopalvelut", "Ungdomstjänster", "Youth services"),
    ("culture-and-leisure", "P25.5", "Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
    ("ngo-activity", "P8.4", "Järjestöjen toiminta", "Organisationers verksamhet", "NGO activity"),
    ("parish-activity", "P25.6", "Seurakuntien toiminta", "Församlingarnas verksamhet", "Parish activity"),
    ("peer-support", "P4.12", "Vertaistuki", "Kamratstöd", "Peer support"),
]

# code, PTV life event code or "", fi, sv, en
LIFE_SITUATIONS = [
    ("expecting", "KE1", "Odotamme vauvaa", "Vi väntar barn", "Expecting a baby"),
    ("baby", "KE1", "Vauvaperhe", "Familj med baby", "Family with a baby"),
    ("toddler", "", "Leikki-ikäinen lapsi", "Barn i lekåldern", "Toddler or pre-school child"),
    ("school-age", "", "Kouluikäinen lapsi", "Barn i skolåldern", "School-age child"),
    ("teenager", "", "Nuori", "Tonåring", "Teenager"),
    ("parenting", "", "Vanhemmuuden tuki", "Stöd i föräldraskapet", "Parenting support"),
    ("relationship", "", "Parisuhde", "Parförhållande", "Relationship"),
    ("separation", "KE7", "Ero", "Skilsmässa och separation", "Separation and divorce"),
    ("crisis", "", "Kriisi", "Kris", "Crisis"),
    ("violence", "", "Väkivalta", "Våld", "Violence"),
    ("mental-wellbeing", "", "Mieli ja jaksaminen", "Psykiskt välbefinnande och ork", "Mental wellbeing and coping"),
    ("substance-use", "", "Päihteet", "Rusmedel", "Substance use"),
    ("illness-disability", "KE11", "Sairaus tai vamma", "Sjukdom eller funktionsnedsättning", "Illness or disability"),
    ("bereavement", "KE14", "Läheisen kuolema", "När en närstående dör", "Bereavement"),
    ("money-housing", "KE9", "Raha ja asuminen", "Ekonomi och boende", "Money and housing"),
    ("moving-to-finland", "KE5", "Muutto Suomeen", "Flytt till Finland", "Moving to Finland"),
    ("leisure", "", "Harrastukset ja vapaa-aika", "Hobbyer och fritid", "Hobbies and leisure"),
]


def load_taxonomies(ServiceClass, LifeSituation):
    for order, (code, ptv, fi, sv, en) in enumerate(SERVICE_CLASSES):
        ServiceClass.objects.update_or_create(
            code=code,
            defaults={
                "name": fi,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "ptv_code": ptv,
                "ptv_uri": PTV_CLASS_URI + ptv if ptv else "",
                "order": order,
            },
        )
    for order, (code, ptv, fi, sv, en) in enumerate(LIFE_SITUATIONS):
        LifeSituation.objects.update_or_create(
            code=code,
            defaults={
                "name": fi,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "ptv_uri": PTV_LIFE_EVENT_URI + ptv if ptv else "",
                "order": order,
            },
        )
