"""The area network's contact persons in the demo, so the public area page shows whom to contact after ``make run``.

Fictional people: per area, the family-centre coordinator (at the wellbeing area's own organisation) and the contact
for NGO co-operation (at one of the area's NGOs) agreed to be shown; a third contact did not, and stays off the page.
"""

from __future__ import annotations

from organisations.models import ContactPerson, Organisation

# (kind, name, title in Finnish, title in Swedish, agreed to be shown)
CONTACTS = (
    (ContactPerson.Kind.FAMILY_CENTRE, "Aino Laaksonen", "Perhekeskuskoordinaattori", "Familjecenterkoordinator", True),
    (
        ContactPerson.Kind.NGO,
        "Mikael Sjöberg",
        "Järjestöyhteistyön koordinaattori",
        "Koordinator för organisationssamarbete",
        True,
    ),
    (ContactPerson.Kind.OTHER, "Sanna Heikkilä", "Palveluesihenkilö", "Servicechef", False),
)
ASCII = str.maketrans("äöåÄÖÅ", "aoaAOA")


def add_contact_persons(*, areas, organisations) -> int:
    """Create the contacts above in each of *areas* (the demo *organisations* only); returns how many."""
    created = 0
    for area in areas:
        in_area = organisations.filter(areas=area).order_by("pk")
        public = in_area.filter(kind=Organisation.Kind.WELLBEING_AREA).first() or in_area.first()
        ngo = in_area.filter(kind=Organisation.Kind.NGO).first() or public
        if public is None:
            continue
        for index, (kind, name, title_fi, title_sv, shown) in enumerate(CONTACTS):
            local = name.lower().translate(ASCII).replace(" ", ".")
            ContactPerson.objects.create(
                organisation=ngo if kind == ContactPerson.Kind.NGO else public,
                area=area,
                kind=kind,
                name=name,
                title_fi=title_fi,
                title_sv=title_sv,
                email=f"{local}@example.fi",
                phone=f"040 {int(area.code):03d} {index:02d}{index:02d}",
                show_publicly=shown,
            )
            created += 1
    return created
