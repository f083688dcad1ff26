"""A small, realistic set of family services (real Finnish and Swedish names) for the search tests."""

import datetime as dt
from types import SimpleNamespace

from organisations.models import Municipality, Organisation, WellbeingArea
from services.models import LifeSituation, SearchWord, ServiceClass
from services.search import analyse_all_pending_words
from tests.factories import (
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    OrganisationFactory,
    ServiceFactory,
)

# Wednesday 2026-03-11, 10:00 in Helsinki.
WEDNESDAY_MORNING = dt.datetime(2026, 3, 11, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def municipality(code):
    return Municipality.objects.get(code=code)


def published_service(**kwargs):
    kwargs.setdefault("summary_fi", "Palvelu lapsiperheille.")
    kwargs.setdefault("summary_sv", "Tjänst för barnfamiljer.")
    kwargs.setdefault("name_en", "")
    return ServiceFactory(published=True, **kwargs)


def build_corpus():
    """Services in Helsinki, Espoo, Vantaa, Porvoo and Tampere, plus one nationwide helpline.

    Words a committed test left in the vocabulary are analysed again with this corpus (as `search_vocabulary
    --reanalyse` does), all of them, so a Swedish compound splits on this corpus's words whatever ran before and
    however many words were left (a search analyses a bounded number).
    """
    SearchWord.objects.update(analysed_at=None)
    helsinki, espoo, vantaa, porvoo, tampere = (municipality(code) for code in ("091", "049", "092", "638", "837"))
    area = {code: WellbeingArea.objects.get(code=code) for code in ("90", "03", "04", "01", "08")}
    classes = {c.code: c for c in ServiceClass.objects.all()}
    situations = {s.code: s for s in LifeSituation.objects.all()}

    helsinki_city = OrganisationFactory(
        name_fi="Helsingin kaupunki", kind=Organisation.Kind.MUNICIPALITY, areas=[area["90"]]
    )
    west_uusimaa = OrganisationFactory(
        name_fi="Länsi-Uudenmaan hyvinvointialue", kind=Organisation.Kind.WELLBEING_AREA, areas=[area["03"]]
    )
    vantaa_kerava = OrganisationFactory(
        name_fi="Vantaan ja Keravan hyvinvointialue", kind=Organisation.Kind.WELLBEING_AREA, areas=[area["04"]]
    )
    east_uusimaa = OrganisationFactory(
        name_fi="Itä-Uudenmaan hyvinvointialue", kind=Organisation.Kind.WELLBEING_AREA, areas=[area["01"]]
    )
    pirkanmaa = OrganisationFactory(
        name_fi="Pirkanmaan hyvinvointialue", kind=Organisation.Kind.WELLBEING_AREA, areas=[area["08"]]
    )
    mll = OrganisationFactory(name_fi="Mannerheimin Lastensuojeluliitto", kind=Organisation.Kind.NGO)
    mll_helsinki = OrganisationFactory(
        name_fi="MLL:n Uudenmaan piiri", kind=Organisation.Kind.NGO, areas=[area["90"], area["03"]]
    )
    parish = OrganisationFactory(name_fi="Helsingin seurakuntayhtymä", kind=Organisation.Kind.PARISH)
    private = OrganisationFactory(name_fi="Lastenlääkäriasema Oy", kind=Organisation.Kind.PRIVATE)

    s = SimpleNamespace()
    s.kallio = published_service(
        organisation=helsinki_city,
        name_fi="Kallion lastenneuvola",
        name_sv="Berghälls barnrådgivning",
        summary_fi="Lasten terveystarkastukset ja rokotukset alle kouluikäisille.",
        summary_sv="Hälsokontroller och vaccinationer för barn under skolåldern.",
        age_min=0,
        age_max=6,
        languages=["fi", "sv"],
        access=["booking"],
        service_classes=[classes["child-health-clinic"]],
        life_situations=[situations["baby"], situations["toddler"]],
        municipalities=[helsinki],
    )
    s.tikkurila = published_service(
        organisation=vantaa_kerava,
        name_fi="Tikkurilan äitiysneuvola",
        name_sv="Dickursby mödrarådgivning",
        summary_fi="Raskauden seuranta ja synnytykseen valmentautuminen.",
        summary_sv="Uppföljning av graviditeten och förlossningsförberedelse.",
        for_expecting=True,
        languages=["fi", "sv", "en"],
        access=["booking"],
        service_classes=[classes["maternity-clinic"]],
        life_situations=[situations["expecting"]],
        municipalities=[vantaa],
    )
    s.counselling = published_service(
        organisation=west_uusimaa,
        name_fi="Kasvatus- ja perheneuvonta",
        name_sv="Uppfostrings- och familjerådgivning",
        summary_fi="Apua lapsen kasvatukseen ja perheen ristiriitoihin.",
        summary_sv="Hjälp med barnets uppfostran och konflikter i familjen.",
        age_min=0,
        age_max=17,
        languages=["fi", "sv"],
        access=["booking", "walk_in"],
        service_classes=[classes["family-counselling"]],
        life_situations=[situations["parenting"]],
    )
    s.cafe = published_service(
        organisation=mll_helsinki,
        name_fi="Perhekahvila Olotila",
        name_sv="Familjecafé Olotila",
        summary_fi="Avoin kohtaamispaikka vauva- ja leikki-ikäisten perheille.",
        summary_sv="Öppen mötesplats för familjer med baby eller lekåldersbarn.",
        age_min=0,
        age_max=6,
        languages=["fi"],
        access=["walk_in"],
        service_classes=[classes["ngo-activity"]],
        life_situations=[situations["toddler"]],
        municipalities=[helsinki],
    )
    s.couples = published_service(
        organisation=parish,
        name_fi="Parisuhdeneuvonta",
        name_sv="Parrelationsrådgivning",
        summary_fi="Keskusteluapua pariskunnille.",
        summary_sv="Samtalsstöd för par.",
        for_parents=True,
        languages=["fi", "sv"],
        access=["booking"],
        service_classes=[classes["parish-activity"]],
        municipalities=[helsinki],
    )
    s.helpline = published_service(
        organisation=mll,
        name_fi="Neuvolan chat",
        name_sv="Rådgivningens chatt",
        summary_fi="Valtakunnallinen chat neuvola-asioissa.",
        summary_sv="Riksomfattande chatt om rådgivningsfrågor.",
        age_min=0,
        age_max=6,
        languages=["fi"],
        access=["walk_in"],
        service_classes=[classes["peer-support"]],
    )
    s.psychiatrist = published_service(
        organisation=private,
        name_fi="Yksityinen lastenpsykiatri",
        name_sv="Privat barnpsykiater",
        summary_fi="Lastenpsykiatrin vastaanotto lähetteellä.",
        summary_sv="Barnpsykiatrisk mottagning med remiss.",
        age_min=7,
        age_max=17,
        cost="fee",
        languages=["fi", "en"],
        access=["referral"],
        service_classes=[classes["child-youth-mental-health"]],
        municipalities=[espoo],
    )
    s.porvoo = published_service(
        organisation=east_uusimaa,
        name_fi="Porvoon lastenneuvola",
        name_sv="Borgå barnrådgivning",
        summary_fi="Lastenneuvola Porvoossa.",
        summary_sv="Barnrådgivningen i Borgå.",
        age_min=0,
        age_max=6,
        languages=["sv", "fi"],
        access=["booking"],
        service_classes=[classes["child-health-clinic"]],
        municipalities=[porvoo],
    )
    s.tampere = published_service(
        organisation=pirkanmaa,
        name_fi="Hervannan lastenneuvola",
        name_sv="Hervanta barnrådgivning",
        summary_fi="Lastenneuvola Tampereen Hervannassa.",
        summary_sv="Barnrådgivning i Hervanta, Tammerfors.",
        age_min=0,
        age_max=6,
        languages=["fi"],
        access=["booking"],
        service_classes=[classes["child-health-clinic"]],
        municipalities=[tampere],
    )
    s.ahtari = published_service(
        organisation=pirkanmaa,
        name_fi="Ämmälän koulukuraattori",
        name_sv="Ämmälä skolkurator",
        summary_fi="Koulukuraattorin tuki oppilaille.",
        summary_sv="Skolkuratorns stöd för elever.",
        age_min=7,
        age_max=17,
        languages=["fi"],
        access=["walk_in"],
        service_classes=[classes["school-health-care"]],
        municipalities=[tampere],
    )
    s.aland = published_service(
        organisation=pirkanmaa,
        name_fi="Åbo Akademin perhetutkimus",
        name_sv="Åbo Akademis familjeforskning",
        summary_fi="Tutkimushanke perheille.",
        summary_sv="Forskningsprojekt för familjer.",
        age_min=0,
        age_max=17,
        languages=["sv"],
        access=["walk_in"],
        service_classes=[classes["peer-support"]],
        municipalities=[tampere],
    )
    s.draft = ServiceFactory(
        draft=True,
        organisation=helsinki_city,
        name_fi="Luonnos: Vuosaaren lastenneuvola",
        summary_fi="Ei vielä julkaistu.",
        municipalities=[helsinki],
    )

    # Kallio: open Mon–Fri 8–16. The helpline: every evening 18–02 over midnight.
    s.kallio_location = LocationFactory(
        service=s.kallio,
        name_fi="Kallion terveysasema",
        municipality=helsinki,
        latitude=60.1841,
        longitude=24.9500,
    )
    for weekday in range(1, 6):
        LocationOpeningHoursFactory(location=s.kallio_location, weekday=weekday, opens=dt.time(8), closes=dt.time(16))
    s.helpline_location = LocationFactory(
        service=s.helpline, name_fi="Chat", municipality=helsinki, latitude=60.17, longitude=24.94
    )
    for weekday in range(1, 8):
        LocationOpeningHoursFactory(
            location=s.helpline_location,
            weekday=weekday,
            opens=dt.time(18),
            closes=dt.time(2),
            over_midnight=True,
        )
    LocationFactory(
        service=s.tikkurila, name_fi="Tikkurilan terveysasema", municipality=vantaa, latitude=60.2925, longitude=25.0440
    )
    LocationFactory(
        service=s.tampere, name_fi="Hervannan terveysasema", municipality=tampere, latitude=61.4503, longitude=23.8510
    )
    s.exception_factory = LocationExceptionFactory
    analyse_all_pending_words()
    return s
