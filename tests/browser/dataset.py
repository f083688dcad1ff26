"""A small, realistic bilingual dataset for the browser tests: public services, an NGO, a parish, a meeting place.

Built with the factories once per test module (see ``demo`` in conftest.py) and committed, so the live server's
own database connection sees it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from organisations.models import Municipality, Organisation, WellbeingArea
from services.models import LifeSituation, ServiceClass
from tests.factories import (
    ActivityFactory,
    EmailAddressFactory,
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
    WebLinkFactory,
)

AREA_CODE = "90"  # Helsingin kaupunki / Helsingfors stad


@dataclass
class Demo:
    area: WellbeingArea
    city: Organisation
    ngo: Organisation
    parish: Organisation
    services: dict = field(default_factory=dict)
    meeting_place: object = None
    finnish_only: object = None

    @property
    def organisations(self):
        return [self.city, self.ngo, self.parish]


def _weekdays_open(location, opens=dt.time(8), closes=dt.time(16)):
    for weekday in range(1, 6):
        LocationOpeningHoursFactory(location=location, weekday=weekday, opens=opens, closes=closes)


def _service(organisation, *, classes, situations, location_fi, location_sv, address_fi, address_sv, **fields):
    service = ServiceFactory(
        published=True,
        organisation=organisation,
        service_classes=classes,
        life_situations=situations,
        municipalities=[organisation.municipality],
        **fields,
    )
    location = LocationFactory(
        service=service,
        name_fi=location_fi,
        name_sv=location_sv,
        street_address_fi=address_fi,
        street_address_sv=address_sv,
        municipality=organisation.municipality,
    )
    _weekdays_open(location)
    PhoneNumberFactory(service=service)
    EmailAddressFactory(service=service)
    WebLinkFactory(service=service)
    return service


def build_demo() -> Demo:
    """Create and return the dataset (call with database access unblocked)."""
    helsinki = Municipality.objects.get(code="091")
    area = WellbeingArea.objects.get(code=AREA_CODE)
    classes = ServiceClass.objects.in_bulk(field_name="code")
    situations = LifeSituation.objects.in_bulk(field_name="code")

    city = OrganisationFactory(
        public=True,
        name_fi="Helsingin kaupungin perhekeskus",
        name_sv="Helsingfors stads familjecenter",
        slug="helsingin-perhekeskus",
        municipality=helsinki,
        areas=[area],
    )
    ngo = OrganisationFactory(
        name_fi="Kallion perheyhdistys ry",
        name_sv="Familjeföreningen i Berghäll rf",
        slug="kallion-perheyhdistys",
        municipality=helsinki,
        areas=[area],
    )
    parish = OrganisationFactory(
        parish=True,
        name_fi="Kallion seurakunta",
        name_sv="Berghälls församling",
        slug="kallion-seurakunta",
        municipality=helsinki,
        areas=[area],
    )
    demo = Demo(area=area, city=city, ngo=ngo, parish=parish)
    common = {"location_fi": "Kallion perhekeskus", "location_sv": "Berghälls familjecenter"}
    common |= {"address_fi": "Toinen linja 4", "address_sv": "Andra linjen 4"}
    demo.services["child_clinic"] = _service(
        city,
        classes=[classes["child-health-clinic"]],
        situations=[situations["baby"], situations["toddler"]],
        name_fi="Lastenneuvola",
        name_sv="Barnrådgivning",
        slug="lastenneuvola",
        summary_fi="Lapsen kasvun ja kehityksen seuranta sekä tuki koko perheelle.",
        summary_sv="Uppföljning av barnets växt och utveckling och stöd för hela familjen.",
        description_fi="Neuvolassa seurataan lapsen kasvua ja kehitystä syntymästä kouluikään.",
        description_sv="På rådgivningen följs barnets växt och utveckling från födseln till skolåldern.",
        age_min=0,
        age_max=6,
        languages=["fi", "sv"],
        access=["booking"],
        **common,
    )
    demo.services["maternity_clinic"] = _service(
        city,
        classes=[classes["maternity-clinic"]],
        situations=[situations["expecting"]],
        name_fi="Äitiysneuvola",
        name_sv="Mödrarådgivning",
        slug="aitiysneuvola",
        summary_fi="Raskauden seuranta ja valmennus vauvaperheen arkeen.",
        summary_sv="Uppföljning av graviditeten och förberedelse för livet med en baby.",
        for_expecting=True,
        languages=["fi", "sv", "en"],
        access=["booking"],
        **common,
    )
    demo.services["family_counselling"] = _service(
        city,
        classes=[classes["family-counselling"]],
        situations=[situations["parenting"], situations["separation"]],
        name_fi="Kasvatus- ja perheneuvonta",
        name_sv="Uppfostrings- och familjerådgivning",
        slug="kasvatus-ja-perheneuvonta",
        summary_fi="Keskusteluapua lapsen kasvatukseen ja perheen ristiriitoihin.",
        summary_sv="Samtalshjälp i frågor om barnets uppfostran och konflikter i familjen.",
        age_min=0,
        age_max=17,
        languages=["fi"],
        access=["booking", "walk_in"],
        **common,
    )
    demo.services["peer_group"] = _service(
        ngo,
        classes=[classes["ngo-activity"], classes["peer-support"]],
        situations=[situations["baby"], situations["parenting"]],
        name_fi="Vertaisryhmä vauvaperheille",
        name_sv="Kamratgrupp för babyfamiljer",
        slug="vertaisryhma-vauvaperheille",
        summary_fi="Tapaa muita vauvaperheitä ja jaa kokemuksia.",
        summary_sv="Träffa andra babyfamiljer och dela erfarenheter.",
        age_min=0,
        age_max=1,
        for_parents=True,
        languages=["fi", "sv"],
        cost="fee",
        cost_info_fi="10 € kaudelta",
        cost_info_sv="10 € per termin",
        access=["walk_in"],
        location_fi="Yhdistyksen kerhotila",
        location_sv="Föreningens klubbrum",
        address_fi="Vaasankatu 10",
        address_sv="Vasagatan 10",
    )
    demo.services["family_camp"] = _service(
        parish,
        classes=[classes["parish-activity"]],
        situations=[situations["leisure"]],
        name_fi="Perheleiri",
        name_sv="Familjeläger",
        slug="perheleiri",
        summary_fi="Seurakunnan leiri koko perheelle saaristossa.",
        summary_sv="Församlingens läger för hela familjen i skärgården.",
        age_min=3,
        age_max=12,
        languages=["fi", "sv"],
        access=["booking"],
        location_fi="Kallion kirkko",
        location_sv="Berghälls kyrka",
        address_fi="Itäinen Papinkatu 2",
        address_sv="Östra Prästgatan 2",
    )
    # Written only in Finnish: Swedish pages must mark it lang="fi".
    demo.finnish_only = _service(
        city,
        classes=[classes["family-social-work"]],
        situations=[situations["parenting"]],
        name_fi="Perhetyön kotikäynnit",
        name_sv="",
        slug="perhetyon-kotikaynnit",
        summary_fi="Perhetyöntekijä tulee kotiin tukemaan arjessa.",
        summary_sv="",
        languages=["fi"],
        access=["referral"],
        **common,
    )
    LocationExceptionFactory(
        location=demo.services["child_clinic"].locations.get(), date=timezone.localdate() + dt.timedelta(days=2)
    )

    place = MeetingPlaceFactory(
        published=True,
        organisation=ngo,
        name_fi="Perhekahvila Onni",
        name_sv="Familjecafé Onni",
        slug="perhekahvila-onni",
        street_address_fi="Vaasankatu 10",
        street_address_sv="Vasagatan 10",
        municipality=helsinki,
        step_free_access=True,
        accessibility_info_fi="Esteetön sisäänkäynti pihan puolelta, tilaa lastenvaunuille.",
        accessibility_info_sv="Tillgänglig ingång från gården, plats för barnvagnar.",
        description_fi="Avoin kohtaamispaikka vauva- ja taaperoperheille.",
        description_sv="En öppen mötesplats för familjer med babyer och småbarn.",
    )
    for weekday in range(1, 6):
        MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(15))
    MeetingPlaceExceptionFactory(meeting_place=place, date=timezone.localdate() + dt.timedelta(days=3))
    today = timezone.localdate().isoweekday()
    ActivityFactory(
        meeting_place=place,
        title_fi="Vauvakerho",
        title_sv="Babyklubb",
        weekday=today,
        age_min=0,
        age_max=1,
        languages=["fi", "sv"],
    )
    ActivityFactory(
        meeting_place=place,
        organiser=parish,
        title_fi="Perhemuskari",
        title_sv="Musiklek för familjer",
        weekday=today % 7 + 1,
        start_time=dt.time(17),
        end_time=dt.time(18),
        age_min=1,
        age_max=6,
        languages=["sv"],
    )
    demo.meeting_place = place
    return demo


def delete_demo(demo: Demo) -> None:
    """Remove everything build_demo created (services, places and activities go with their organisations)."""
    Organisation.objects.filter(pk__in=[o.pk for o in demo.organisations]).delete()
