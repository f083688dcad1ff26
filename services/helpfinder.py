"""The help finder: "What do you need help with?" in three steps (situation, child's age, place), then suggestions
that say why each one fits.

No login and no session: the answers live only in the URL. Each step is a GET form that carries the other answers
as hidden fields, so back links, bookmarks and shared links work without JavaScript. The parameters are the service
search's own (life_situation, age_group or age, municipality or postcode, and lat/lon when a position is known),
read by its form, so the "all results" link is the same search on /services/.

Matching is the search core's (ranked_services). Only the order is the finder's: services given where the family
lives before nationwide ones, then the free and walk-in ones (both before either, either before neither), then
the nearest location, then the name.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When, prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from organisations.models import Municipality

from .choices import Access, Cost
from .models import LifeSituation
from .search import (
    PAGE_SIZE,
    SearchQuery,
    ServiceSearchForm,
    cards_in_order,
    matching_services,
    ranked_services,
)
from .search.text import search_language, sort_key
from .search.visit import MUNICIPALITY, POSTCODE, remembered_place
from .views import nearest_location, non_empty_params

STEPS = ("situation", "age", "place", "results")
# The parameters each step answers, in the order they are carried.
STEP_PARAMS = {
    "situation": ("life_situation",),
    "age": ("age_group", "age"),
    "place": ("municipality", "postcode", "lat", "lon"),
}
ANSWER_PARAMS = tuple(name for names in STEP_PARAMS.values() for name in names)
# "Any age" is an answer too; it is the finder's own value and never reaches the search.
ANY_AGE = "any"
MAX_SITUATIONS = 5

QUESTIONS = {
    "situation": _("What do you need help with?"),
    "age": _("How old is your child?"),
    "place": _("Where do you live?"),
}

# The life situations in a family's own words, grouped. A situation added to the taxonomy later still shows, under
# "Something else", with its taxonomy name.
SITUATION_GROUPS = [
    (
        _("Pregnancy and a growing child"),
        [
            ("expecting", _("We are expecting a baby")),
            ("baby", _("We have a baby")),
            ("toddler", _("Our child is under school age")),
            ("school-age", _("Our child goes to school")),
            ("teenager", _("We have a teenager")),
        ],
    ),
    (
        _("Being a parent and a couple"),
        [
            ("parenting", _("Questions about raising our child")),
            ("relationship", _("Our relationship needs support")),
            ("separation", _("We are separating or have separated")),
        ],
    ),
    (
        _("When things are hard"),
        [
            ("crisis", _("Something sudden has shaken our family")),
            ("violence", _("There is violence at home, or fear of it")),
            ("mental-wellbeing", _("We are worn out, low or anxious")),
            ("substance-use", _("Alcohol or drugs are a worry")),
            ("illness-disability", _("A child or parent has an illness or a disability")),
            ("bereavement", _("Someone close to us has died")),
        ],
    ),
    (
        _("Everyday life"),
        [
            ("money-housing", _("Worries about money or housing")),
            ("moving-to-finland", _("We have moved to Finland")),
            ("leisure", _("Things to do together, hobbies")),
        ],
    ),
]
OTHER_SITUATIONS = _("Something else")
SITUATION_WORDS = {code: label for _group, options in SITUATION_GROUPS for code, label in options}

# The search's age groups and audiences as a family picks them, and "any age".
AGE_CHOICES = [
    ("expecting", _("Expecting a baby")),
    ("0-1", _("Baby, under 1 year")),
    ("1-6", _("Child aged 1–6")),
    ("7-12", _("Child aged 7–12")),
    ("13-17", _("Young person aged 13–17")),
    ("parents", _("For parents")),
    (ANY_AGE, _("Any age")),
]

ERRORS = {
    "situation": _("Choose what you need help with."),
    "unknown_situation": _("We do not know that situation. Choose one from the list."),
    "age": _("Choose your child’s age group, or give the age in years."),
    "bad_age": _("Give the child’s age in whole years, from 0 to 29, or choose an age group."),
    "place": _("Choose your municipality or give your postcode."),
    "unknown_municipality": _("We do not know that municipality. Choose one from the list."),
    "bad_postcode": _("A postcode is five digits, for example 20100."),
    "unknown_postcode": _("We do not know this postcode. Check it, or choose your municipality."),
}


@dataclass
class Answers:
    """What the URL says so far: the query the search core runs, and one problem per step (if any)."""

    query: SearchQuery
    any_age: bool
    errors: dict[str, str]
    raw: dict[str, str]  # the values as given, to show again in the inputs of a step with a problem

    def done(self, step: str) -> bool:
        if step in self.errors:
            return False
        if step == "situation":
            return bool(self.query.life_situations)
        if step == "age":
            return self.any_age or self.query.age_range is not None or self.query.audience is not None
        return bool(self.query.municipality)

    def problem(self, step: str) -> str:
        return str(self.errors.get(step) or ERRORS[step])

    def params(self) -> dict:
        """The valid answers as GET parameters (lists for the situations), in a stable order."""
        params = {name: value for name, value in self.query.as_params().items() if name in ANSWER_PARAMS}
        if self.any_age:
            params["age_group"] = ANY_AGE
        return {name: params[name] for name in ANSWER_PARAMS if name in params}

    def hidden_fields(self, step: str) -> list[tuple[str, str]]:
        """The answers of the other steps, as (name, value) pairs for hidden inputs on *step*'s form."""
        own = STEP_PARAMS.get(step, ())
        fields = []
        for name, value in self.params().items():
            if name not in own:
                fields += [(name, v) for v in (value if isinstance(value, list) else [value])]
        return fields

    def url(self, step: str) -> str:
        params = self.params()
        return reverse(f"services:help-{step}") + (f"?{urlencode(params, doseq=True)}" if params else "")

    def search_url(self, query: SearchQuery | None = None) -> str:
        params = (query or self.query).as_params()
        return reverse("services:search") + (f"?{urlencode(params, doseq=True)}" if params else "")

    @cached_property
    def municipality(self) -> Municipality | None:
        if not self.query.municipality:
            return None
        return Municipality.objects.select_related("area").filter(code=self.query.municipality).first()


def read_answers(params: QueryDict) -> Answers:
    """The finder's answers in *params*: parsed by the search form, bad values dropped and explained per step."""
    data = QueryDict(mutable=True)
    raw = {}
    for name in ANSWER_PARAMS:
        values = [value.strip() for value in params.getlist(name) if value.strip()]
        values = values[:MAX_SITUATIONS] if name == "life_situation" else values[-1:]
        if values:
            data.setlist(name, values)
            raw[name] = values[-1][:30]
    any_age = data.get("age_group") == ANY_AGE
    if any_age:
        del data["age_group"]
    form = ServiceSearchForm(data)
    form.is_valid()
    query = form.to_query()
    found = form.errors.as_data()
    errors = {}
    if "life_situation" in found and not query.life_situations:
        errors["situation"] = ERRORS["unknown_situation"]
    if "age_group" in found or "age" in found:
        errors["age"] = ERRORS["bad_age"]
    if "municipality" in found:
        errors["place"] = ERRORS["unknown_municipality"]
    elif "postcode" in found:
        unknown = any(problem.code == "unknown_postcode" for problem in found["postcode"])
        errors["place"] = ERRORS["unknown_postcode" if unknown else "bad_postcode"]
    if any_age:
        query = dataclasses.replace(query, age_range=None, audience=None)
    return Answers(query=query, any_age=any_age, errors=errors, raw=raw)


def suggested_services(query: SearchQuery, centre: tuple[float, float] | None, *, language: str):
    """The search core's matches for *query* (with a place), in the finder's order, nearest to *centre*; rows
    (id, locality)."""
    if centre is not None:
        query = dataclasses.replace(query, lat=centre[0], lon=centre[1])
    ranked = ranked_services(query, language=language).annotate(
        local=Case(When(locality__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField()),
        easy=Case(When(cost=Cost.FREE, then=Value(1)), default=Value(0), output_field=IntegerField())
        + Case(When(access__contains=[Access.WALK_IN], then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    order = [F("local").desc(), F("easy").desc()]
    if query.has_location:
        order.append(F("distance_km").asc(nulls_last=True))
    order += [F(f"sort_name_{search_language(language)}"), "pk"]
    return query, ranked.order_by(*order).values_list("pk", "locality")


def widenings(answers: Answers) -> list[tuple[str, SearchQuery]]:
    """Wider versions of the answers, closest first, each with a sentence saying what was widened."""
    query, municipality = answers.query, answers.municipality
    names = {"municipality": municipality.name, "area": municipality.area.name}
    in_area = dataclasses.replace(query, municipality="", postcode="", area=municipality.area.code)
    options = [
        (
            gettext(
                "Nothing matched all your answers in your municipality (%(municipality)s), so here is the same help "
                "across the whole wellbeing area (%(area)s)."
            ),
            in_area,
        )
    ]
    if not answers.any_age:
        options += [
            (
                gettext(
                    "Nothing matched your child’s age, so here is help in this situation for any age in your "
                    "municipality (%(municipality)s)."
                ),
                dataclasses.replace(query, age_range=None, audience=None),
            ),
            (
                gettext(
                    "Nothing matched your child’s age nearby, so here is help in this situation for any age across "
                    "the whole wellbeing area (%(area)s)."
                ),
                dataclasses.replace(in_area, age_range=None, audience=None),
            ),
        ]
    options.append(
        (
            gettext(
                "We found no help for this situation nearby, so here are the other services for families in your "
                "municipality (%(municipality)s)."
            ),
            dataclasses.replace(query, life_situations=()),
        )
    )
    return [(sentence % names, wider) for sentence, wider in options]


def why_suggested(service, query: SearchQuery, locality: int, location, municipality: Municipality) -> list[str]:
    """Short reasons, in the page's language: the situation, the ages, where, how near, free, walk-in."""
    chosen = set(query.life_situations)
    reasons = [
        gettext("matches “%(situation)s”") % {"situation": situation.name}
        for situation in service.life_situations.all()
        if situation.code in chosen
    ]
    if query.audience == "expecting":
        reasons.append(gettext("for expecting parents"))
    elif query.audience == "parents":
        reasons.append(gettext("for parents"))
    elif query.age_range is not None:
        reasons.append(age_reason(service.age_min, service.age_max))
    if locality == 0:
        reasons.append(gettext("a nationwide service"))
    elif query.municipality and locality == 2:
        reasons.append(gettext("given in your municipality (%(name)s)") % {"name": municipality.name})
    elif query.area:  # widened to the area: given somewhere in it
        reasons.append(gettext("given in your wellbeing area (%(name)s)") % {"name": municipality.area.name})
    else:
        reasons.append(gettext("serves the whole wellbeing area (%(name)s)") % {"name": municipality.area.name})
    if location is not None and getattr(location, "distance_km", None) is not None:
        # Measured from a postcode area's or municipality's middle when no position was given: never "0 km".
        km = number_format(max(round(location.distance_km, 1), 0.1), 1)
        if location.municipality.code == query.municipality:
            reasons.append(gettext("nearest location about %(km)s km away") % {"km": km})
        else:
            reasons.append(
                gettext("nearest location about %(km)s km away, in %(place)s")
                % {"km": km, "place": location.municipality.name}
            )
    if service.cost == Cost.FREE:
        reasons.append(gettext("free of charge"))
    if Access.WALK_IN in (service.access or []):
        reasons.append(gettext("walk in without an appointment"))
    return reasons


def age_reason(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        if low == high:
            return gettext("for %(age)s-year-olds") % {"age": low}
        return gettext("for ages %(low)s–%(high)s") % {"low": low, "high": high}
    if low is not None:
        return gettext("for ages %(low)s and up") % {"low": low}
    return gettext("for ages up to %(high)s") % {"high": high}


# --- Pages ---


class HelpStepView(TemplateView):
    """One step of the finder; an earlier step that is missing or wrong is asked again, with its problem."""

    step = "situation"
    template_name = "services/help_step.html"

    def get(self, request, *args, **kwargs):
        # A GET form sends its empty inputs too (the postcode when a municipality was chosen): the address keeps
        # only what was answered.
        kept = non_empty_params(request.GET).urlencode()
        if kept != request.GET.urlencode():
            return redirect(request.path + (f"?{kept}" if kept else ""))
        self.answers = read_answers(request.GET)
        self.shown = self.step
        self.error = ""
        for step in STEPS[: STEPS.index(self.step)]:
            if not self.answers.done(step):
                self.shown, self.error = step, self.answers.problem(step)
                break
        else:
            self.error = str(self.answers.errors.get(self.step, ""))
        if self.shown == "results":
            self.template_name = "services/help_results.html"
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])  # the place step is filled in from the remembered place
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answers, step = self.answers, self.shown
        context.update(answers=answers, step=step, error=self.error, steps=STEPS[:3])
        if step == "results":
            context.update(self.results_context())
            return context
        number = STEPS.index(step) + 1
        context.update(
            number=number,
            question=QUESTIONS[step],
            action=reverse(f"services:help-{STEPS[number]}"),
            hidden_fields=answers.hidden_fields(step),
            back_url=answers.url(STEPS[number - 2]) if number > 1 else None,
            back_question=QUESTIONS[STEPS[number - 2]] if number > 1 else None,
        )
        context.update(getattr(self, f"{step}_context")())
        return context

    def situation_context(self):
        chosen = set(self.answers.query.life_situations)
        situations = {s.code: s for s in LifeSituation.objects.all()}
        groups = []
        for label, options in SITUATION_GROUPS:
            known = [(code, words) for code, words in options if code in situations]
            groups.append((label, [(code, words, code in chosen) for code, words in known]))
        others = [(s.code, s.name, s.code in chosen) for code, s in situations.items() if code not in SITUATION_WORDS]
        if others:
            groups.append((OTHER_SITUATIONS, others))
        return {"situation_groups": [(label, options) for label, options in groups if options]}

    def age_context(self):
        answers = self.answers
        selected = ANY_AGE if answers.any_age else answers.raw.get("age_group", "")
        offered = [code for code, _label in AGE_CHOICES if code != "expecting" or self.offers_expecting(selected)]
        choices = [(code, label) for code, label in AGE_CHOICES if code in offered]
        return {"age_choices": choices, "selected_age": selected, "age_value": answers.raw.get("age", "")}

    def offers_expecting(self, selected: str) -> bool:
        """ "Expecting a baby" is offered where the data has it: some service for the situation is for expecting
        parents (or it is the answer already)."""
        situations = self.answers.query.life_situations
        if selected == "expecting" or "expecting" in situations:
            return True
        query = SearchQuery(life_situations=situations, audience="expecting")
        return matching_services(query, language=get_language()).exists()

    def place_context(self):
        answers = self.answers
        selected, postcode = answers.raw.get("municipality", ""), answers.raw.get("postcode", "")
        if not selected and not postcode:
            # The place chosen earlier in this visit (services/search/visit.py) fills the step in; the answer still
            # travels only in the URL when the family goes on.
            remembered = remembered_place(self.request)
            if remembered is not None and remembered.kind == MUNICIPALITY:
                selected = remembered.code
            elif remembered is not None and remembered.kind == POSTCODE:
                postcode = remembered.code
        return {
            # By the name shown in this language (a missing English name shows, and sorts, as the Finnish one).
            "municipalities": sorted(Municipality.objects.all(), key=lambda m: sort_key(m.name)),
            "selected_municipality": selected,
            "postcode_value": postcode,
        }

    def results_context(self):
        answers, language = self.answers, get_language()
        municipality = answers.municipality
        shown, widened_by = answers.query, ""
        # The family's position, else its postcode area's point or municipality's centre (the search form's origin).
        centre = shown.distance_from
        positioned, rows = suggested_services(shown, centre, language=language)
        if not rows.exists():
            for sentence, wider in widenings(answers):
                wider_positioned, wider_rows = suggested_services(wider, centre, language=language)
                if wider_rows.exists():
                    shown, widened_by, positioned, rows = wider, sentence, wider_positioned, wider_rows
                    break
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        localities = dict(page.object_list)
        services = cards_in_order(positioned, list(localities), upcoming=False)
        prefetch_related_objects(services, "life_situations")
        for service in services:
            service.card_location = nearest_location(service, positioned)
            service.why = why_suggested(service, shown, localities[service.pk], service.card_location, municipality)
        return {
            "question": _("Suggestions for your family"),
            "services": services,
            "page_obj": page,
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "result_count": page.paginator.count,
            "widened_by": widened_by,
            "search_url": answers.search_url(shown),
            "situation_url": answers.url("situation"),
            "place_search_url": answers.search_url(
                SearchQuery(municipality=answers.query.municipality, postcode=answers.query.postcode)
            ),
            "summary": self.summary(),
        }

    def summary(self):
        """The answers in words, each with a link back to its step: [(question, answer, url)]."""
        answers = self.answers
        query = answers.query
        situations = {s.code: s.name for s in LifeSituation.objects.filter(code__in=query.life_situations)}
        situation = ", ".join(str(SITUATION_WORDS.get(code) or situations.get(code, code)) for code in situations)
        if query.age_range is not None and answers.raw.get("age"):
            low = query.age_range[0]
            age = ngettext("%(age)s year", "%(age)s years", low) % {"age": low}
        else:
            selected = ANY_AGE if answers.any_age else answers.raw.get("age_group", "")
            age = str(dict(AGE_CHOICES).get(selected, ""))
        place = answers.municipality.name
        if query.postcode:
            place = f"{query.postcode} ({place})"
        return [
            (QUESTIONS["situation"], situation, answers.url("situation")),
            (QUESTIONS["age"], age, answers.url("age")),
            (QUESTIONS["place"], place, answers.url("place")),
        ]
