"""Family-facing service pages: search, detail and compare."""

import dataclasses
import math
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from organisations.querysets import receives_questions

from .cards import result_cards
from .compare import compare_groups
from .models import Location, Service, WebLink
from .pagecache import CachedPageMixin
from .search import FILTERS, SearchQuery, ServiceSearchForm, run_search
from .search.form import SORT_CHOICES
from .search.misses import count_query_miss
from .search.places import place_from_where, place_from_words, place_label, place_point
from .search.visit import MUNICIPALITY, POSITION, POSTCODE, VisitPlace, forget_place, remember_place, remembered_place
from .templatetags.family import MAX_COMPARE, join_ids, parse_ids

# The wellbeing area a family last chose, so the home page can show its activities. A plain
# preference cookie (no session row, nothing personal): the value is only ever a 2-digit area code.
AREA_COOKIE = "area"
AREA_COOKIE_AGE = 365 * 24 * 60 * 60


def remembered_area_code(request) -> str:
    code = request.COOKIES.get(AREA_COOKIE, "")
    return code if len(code) == 2 and code.isdigit() else ""


def remember_area(response, code: str) -> None:
    response.set_cookie(
        AREA_COOKIE,
        code,
        max_age=AREA_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )


def compare_ids_from(request) -> list[int]:
    """The services a family has picked for comparison, carried in ?compare= on search and detail pages."""
    return parse_ids(request.GET.get("compare", ""), limit=MAX_COMPARE)[0]


def with_card_data(queryset):
    """What a result card, the detail page or the compare table shows, in a constant number of queries."""
    return queryset.select_related("organisation").prefetch_related(
        "service_classes",
        Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        "locations__opening_hours",
        "locations__exceptions",
    )


class CompareSelectionMixin:
    """Adds the comparison picked so far (ids from ?compare=, names for the tray) to the context."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = compare_ids_from(self.request)
        by_id = (
            {s.pk: s for s in Service.objects.published().filter(pk__in=ids).only("pk", *name_fields())} if ids else {}
        )
        context["compare_ids"] = [i for i in ids if i in by_id]
        context["compare_selection"] = [by_id[i] for i in ids if i in by_id]
        return context


def name_fields():
    return [f"name_{code}" for code, _label in settings.LANGUAGES]


class ServiceDetailView(CachedPageMixin, CompareSelectionMixin, DetailView):
    template_name = "services/service_detail.html"
    context_object_name = "service"
    page_cache_name = "service"
    page_params = frozenset({"compare", "feedback"})

    def page_key_parts(self):
        # The breadcrumb back to the search the family came from (the Referer's search, with the comparison).
        return (search_results_url(self.request, compare_ids_from(self.request)),)

    def get_queryset(self):
        # receives_questions: whether "Ask anonymously" is shown, in the same query (no query of its own).
        return (
            with_card_data(Service.objects.published())
            .prefetch_related("life_situations", "phones", "emails", "links")
            .annotate(receives_questions=receives_questions("organisation"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results_url"] = search_results_url(self.request, context.get("compare_ids", []))
        # E-services (online booking and the like) sit with the phone numbers at the top; web pages further down.
        links = list(self.object.links.all())
        context["e_services"] = [link for link in links if link.kind == WebLink.Kind.E_SERVICE]
        context["web_pages"] = [link for link in links if link.kind != WebLink.Kind.E_SERVICE]
        return context


def search_results_url(request, compare_ids) -> str | None:
    """The search the family came from (same site, same language), with the current comparison; else None."""
    try:
        # The Referer is whatever the client sent: "http://[x" makes urlsplit raise ValueError.
        parts = urlsplit(request.headers.get("referer", ""))
    except ValueError:
        return None
    if parts.netloc != request.get_host() or parts.path != reverse("services:search"):
        return None
    params = QueryDict(parts.query, mutable=True)
    if compare_ids:
        params["compare"] = join_ids(compare_ids)
    else:
        params.pop("compare", None)
    return f"{parts.path}?{params.urlencode()}" if params else parts.path


def service_by_id(request, pk):
    """/services/<id>/ redirects to the slug address (ids appear in compare links and the API)."""
    service = Service.objects.published().filter(pk=pk).only("slug").first()
    if service is None:
        service = get_object_or_404(Service.objects.published().only("slug"), slug=str(pk))
    query = request.GET.urlencode()
    return redirect(service.get_absolute_url() + (f"?{query}" if query else ""), permanent=False)


def position_from(params) -> tuple[SearchQuery, bool]:
    """A query holding the lat/lon the address gives (both or neither), and whether a value given was unusable."""
    try:
        lat = forms.FloatField(required=False, min_value=-90, max_value=90).clean(params.get("lat", "")[:30])
        lon = forms.FloatField(required=False, min_value=-180, max_value=180).clean(params.get("lon", "")[:30])
    except forms.ValidationError:
        return SearchQuery(), True
    if lat is None or lon is None:
        return SearchQuery(), False
    return SearchQuery(lat=lat, lon=lon), False


def remembered_origin(request) -> tuple[SearchQuery, str]:
    """The point of the place remembered for the visit, as a query to measure from, and the place's name."""
    place = remembered_place(request)
    point = place_point(place) if place is not None else None
    if point is None:
        return SearchQuery(), ""
    return SearchQuery(lat=point[0], lon=point[1]), place_label(place, language=get_language())


class CompareView(CachedPageMixin, TemplateView):
    template_name = "services/compare.html"
    page_cache_name = "compare"
    page_params = frozenset({"services", "show", "lat", "lon"})

    def page_key_parts(self):
        place = remembered_place(self.request)  # gives the distances when the address has no position
        return (place.cookie_value() if place is not None else None,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("services", "")
        ids, garbage = parse_ids(raw[:2000])
        too_many = len(ids) > MAX_COMPARE
        ids = ids[:MAX_COMPARE]
        services = with_card_data(Service.objects.published().filter(pk__in=ids)).prefetch_related(
            "phones", "emails", "links"
        )
        by_id = {s.pk: s for s in services}
        found = [by_id[i] for i in ids if i in by_id]
        # The family's position (from "use my location" or a search sorted by distance) gives distances; without one
        # in the address, the place remembered for the visit (the search's postcode or municipality) does.
        origin, bad_position = position_from(self.request.GET)
        in_address = origin.has_location
        origin_label = ""
        if not in_address and not bad_position:
            origin, origin_label = remembered_origin(self.request)
        groups = compare_groups(
            found,
            [nearest_location(s, origin) for s in found],
            origin_given=origin.has_location,
            origin_label=origin_label,
            today=timezone.localdate(),
        )
        only_differences = self.request.GET.get("show") == "differences" and len(found) > 1
        params = self.request.GET.copy()
        params.pop("show", None)
        context.update(
            services=found,
            service_ids=join_ids(s.pk for s in found),
            compare_ids=[s.pk for s in found],
            garbage=garbage or bad_position,
            too_many=too_many,
            missing=len(ids) - len(found),
            remove_links=[(s, self.query_without(s, found)) for s in found],
            groups=groups,
            difference_count=sum(row.differs for group in groups for row in group.rows),
            only_differences=only_differences,
            all_rows_query=params.urlencode(),
            differences_query=f"{params.urlencode()}&show=differences" if params else "show=differences",
            position_query=f"lat={origin.lat:.4f}&lon={origin.lon:.4f}" if in_address else "",
        )
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))  # the remembered place gives the distances
        return response

    def query_without(self, service, found):
        """This page's query string with *service* taken out of the comparison."""
        params = self.request.GET.copy()
        params["services"] = join_ids(o.pk for o in found if o.pk != service.pk)
        return params.urlencode()


# --- Search ---


def distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance; close enough for telling a family which location is nearest."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def nearest_location(service, query):
    """The location a result card shows: nearest to the family's position or chosen place, else in the chosen
    municipality."""
    locations = list(service.locations.all())
    if not locations:
        return None
    if query.distance_from is not None:
        lat, lon = query.distance_from
        located = [loc for loc in locations if loc.latitude is not None and loc.longitude is not None]
        if located:
            best = min(located, key=lambda loc: distance_km(lat, lon, loc.latitude, loc.longitude))
            best.distance_km = distance_km(lat, lon, best.latitude, best.longitude)
            return best
    municipality = getattr(query.municipality, "code", query.municipality)
    if municipality:
        return next((loc for loc in locations if loc.municipality.code == municipality), locations[0])
    return locations[0]


# The parameters that say where: the "where" field, and what it stands for (also given by links and the API).
PLACE_PARAMS = ("where", "municipality", "postcode", "lat", "lon")


def clean_search_pairs(params: QueryDict, query: SearchQuery) -> list[tuple[str, str]]:
    """*params* without empty values, the first page number and a sort that is the query's order anyway."""
    return [
        (name, value)
        for name, values in params.lists()
        for value in values
        if value.strip()
        and not (name == "page" and value.strip() == "1")
        and not (name == "sort" and query.sort_is_redundant)
    ]


def non_empty_params(params: QueryDict) -> QueryDict:
    """A mutable copy of *params* without empty values (nor page 1)."""
    cleaned = QueryDict(mutable=True)
    for name, value in clean_search_pairs(params, SearchQuery()):
        cleaned.appendlist(name, value)
    return cleaned


def query_place(query: SearchQuery) -> VisitPlace | None:
    """The place *query* searches around: a postcode, else a municipality, else the family's position."""
    if query.postcode:
        return VisitPlace.postcode(query.postcode)
    if query.municipality:
        return VisitPlace.municipality(query.municipality)
    if query.has_location:
        place = VisitPlace.position(query.lat, query.lon)
        return place if place.is_valid else None
    return None


def where_text(place: VisitPlace | None, label: str) -> str:
    """What the "where" field shows for *place*: its name or postcode (a position has only its chip)."""
    return "" if place is None or place.kind == POSITION else label


def forget_place_url(next_url: str) -> str:
    return f"{reverse('services:forget-place')}?{urlencode({'next': next_url})}"


def forget_place_view(request):
    """Forget the place remembered for the visit (a chip's ✕), then go on to ``next`` on this site."""
    next_url = request.GET.get("next", "")
    if not (
        next_url.startswith("/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False)
    ):
        next_url = reverse("home")
    response = redirect(next_url)
    forget_place(response)
    return response


def remembered_where_context(request, *, language: str) -> dict:
    """The "where" field of a search form elsewhere (the home page): filled from the place remembered for the visit,
    with its chip (forgetting it comes back to this page)."""
    place = remembered_place(request)
    label = place_label(place, language=language) if place else ""
    return {
        "where_value": where_text(place, label),
        "where_errors": [],
        "visit_place": place,
        "visit_place_label": label,
        "place_remembered": True,
        "forget_place_url": forget_place_url(request.path) if place else "",
    }


# The facet groups the search page shows: the "where" field at the top stands for the municipality and postcode
# inputs, so the municipalities' counts (a count for each of ~300) are never computed for it.
PAGE_FACETS = tuple(f.name for f in FILTERS if f.name != "municipality")


class ServiceSearchView(CompareSelectionMixin, TemplateView):
    template_name = "services/service_search.html"

    def get(self, request, *args, **kwargs):
        language = get_language()
        params = non_empty_params(request.GET)
        # The chips' links keep the address as the family gave it (its "where", no remembered place).
        self.link_params = params.copy()
        remembered = remembered_place(request)
        self.where = params.pop("where", [""])[-1]
        self.where_unknown = False
        self.place_remembered = False
        if self.where:
            # The "where" field wins over a place given otherwise (the hidden position of an earlier search).
            found = place_from_where(self.where, language=language)
            for name in PLACE_PARAMS:
                params.pop(name, None)
            if found is None:
                self.where_unknown = True
            else:
                params.update(found.as_params())
        # A place in the words ("neuvola turussa") becomes the municipality filter, shown like one chosen by hand.
        self.params, self.place = place_from_words(params, language=language)
        if self.place is not None:  # in the chips' links, as the search read it
            self.link_params.setlist("q", [self.place.rest] if self.place.rest else [])
            self.link_params[self.place.param] = self.place.value
        given_place = self.where or any(self.params.get(name) for name in (*PLACE_PARAMS, "area"))
        if remembered is not None and not given_place:
            self.params.update(remembered.as_params())
            self.place_remembered = True
        self.form = ServiceSearchForm(self.params)
        self.form.is_valid()  # Bad values are dropped and described in form.errors; the search still runs.
        self.query = self.form.to_query()
        self.visit_place = query_place(self.query)

        # Clean addresses: no empty parameters, no page 1, no sort that is the default anyway (302 to the same
        # search). A "where" sent empty is the family clearing the field: the remembered place goes too.
        clean = clean_search_pairs(request.GET, self.query)
        if clean != [(name, value) for name, values in request.GET.lists() for value in values]:
            response = redirect(f"{request.path}?{urlencode(clean)}" if clean else request.path)
            if "where" in request.GET and not any(request.GET.get(name, "").strip() for name in PLACE_PARAMS):
                forget_place(response)
            return response

        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        area = getattr(self.query.area, "code", self.query.area)
        if area:
            remember_area(response, area)
        if self.visit_place is not None and not self.place_remembered and self.visit_place != remembered:
            remember_place(response, self.visit_place)
        return response

    def where_context(self, language):
        """The "where" field, its chip and the note on distances."""
        place, query = self.visit_place, self.query
        label = place_label(place, language=language) if place else ""
        errors = []
        if self.where_unknown:
            errors.append(
                gettext("We could not find the place “%(where)s”. Give a municipality or a postcode.")
                % {"where": self.where[:60]}
            )
        errors += [message for name in ("municipality", "postcode") for message in self.form.errors.get(name, [])]
        without_place = self.link_params.copy()
        for name in (*PLACE_PARAMS, "page"):
            without_place.pop(name, None)
        no_place = dataclasses.replace(query, municipality="", postcode="", lat=None, lon=None, origin=None)
        next_pairs = clean_search_pairs(without_place, no_place)
        next_url = f"{self.request.path}?{urlencode(next_pairs)}" if next_pairs else self.request.path
        distance_note = ""
        if query.has_location:
            distance_note = gettext("Distances are measured from your location.")
        elif place is not None and place.kind == POSTCODE and query.origin:
            distance_note = gettext("Distances are measured from the postcode area %(postcode)s.") % {"postcode": label}
        elif place is not None and place.kind == MUNICIPALITY and query.origin:
            distance_note = gettext("Distances are measured from the centre of %(municipality)s.") % {
                "municipality": label
            }
        return {
            "where_value": self.where[:100] if self.where_unknown else where_text(place, label),
            "where_errors": errors,
            "visit_place": place,
            "visit_place_label": label,
            "place_remembered": self.place_remembered,
            "forget_place_url": forget_place_url(next_url) if place else "",
            "distance_note": distance_note,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = get_language()
        query = self.query
        found = run_search(
            query, language=language, page_number=self.request.GET.get("page"), with_cards=False, facets=PAGE_FACETS
        )
        page, facets = found.page, found.facets
        if not page.paginator.count:
            # Outside the cached parts of run_search, so a cached empty page is counted too.
            count_query_miss(query, language=language)
        page.object_list = result_cards(
            page.object_list,
            query,
            language=language,
            version=found.version,
            compare_ids=context["compare_ids"],
            locate=nearest_location,
        )
        errors = self.form.errors
        where = self.where_context(language)
        context.update(where)
        context.update(
            form=self.form,
            query=query,
            page_obj=page,
            page_range=list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            results=page.object_list,
            result_count=page.paginator.count,
            facet_groups=[
                {
                    "name": search_filter.name,
                    "legend": search_filter.legend,
                    "widget": search_filter.widget,
                    "values": facets.get(search_filter.name, []),
                    "errors": errors.get(search_filter.name, []),
                    # Parameters of the same filter with an input of their own (postcode, age).
                    "inputs": [
                        {
                            "param": param,
                            "value": self.request.GET.get(param.name, "")[:10],
                            "errors": errors.get(param.name, []),
                        }
                        for param in search_filter.params[1:]
                    ],
                }
                for search_filter in FILTERS
                if search_filter.name in PAGE_FACETS
            ],
            # A wider search may make the sort its default order: then it leaves the link.
            broader=[
                dataclasses.replace(b, query=dataclasses.replace(b.query, sort="")) if b.query.sort_is_redundant else b
                for b in found.broader
            ],
            place_from_words=self.place,
            sort_options=self.sort_options(),
            active_filters=self.active_filters(facets),
            has_location=query.has_location,
            error_fields=[
                *([("id_where", gettext("Where?"), where["where_errors"])] if where["where_errors"] else []),
                *(
                    (self.field_input_id(name, facets), self.field_label(name), messages)
                    for name, messages in errors.items()
                    if name not in ("municipality", "postcode")
                ),
            ],
        )
        return context

    def sort_options(self):
        """[(value, label, selected)]: the default order first (value "", so it never shows in the address), then
        the orders that differ from it."""
        query, labels = self.query, dict(SORT_CHOICES)
        default = query.default_sort if query.default_sort != "relevance" or query.terms else "name"
        options = [("", labels[default], not query.sort)]
        default_order = dataclasses.replace(query, sort="").effective_sort
        for value, label in SORT_CHOICES:
            if value == "distance" and query.distance_from is None:
                continue
            if dataclasses.replace(query, sort=value).effective_sort != default_order:
                options.append((value, label, query.sort == value))
        return options

    def field_input_id(self, name, facets):
        """The id of the field's input (a checkbox group's first box), so a summary link moves focus into it."""
        if name not in self.form.fields:
            return "id_q"
        if isinstance(self.form.fields[name], forms.MultipleChoiceField):
            return f"id_{name}_0" if facets.get(name) else f"field-{name}"
        return f"id_{name}"

    def field_label(self, name):
        field = self.form.fields.get(name)
        return field.label if field is not None and field.label else name

    def active_filters(self, facets):
        """[(label, url without that one value)] for the chips above the results."""
        chips = []
        params = self.link_params.copy()
        params.pop("page", None)

        def without(name, value=None):
            remaining = params.copy()
            if value is None:
                remaining.pop(name, None)
            else:
                remaining.setlist(name, [v for v in remaining.getlist(name) if v != str(value)])
            return "?" + remaining.urlencode()

        if self.query.q:
            remaining = params.copy()
            remaining.pop("q", None)
            if remaining.get("sort") == "relevance":
                remaining.pop("sort")  # without words there is no best match: that order goes with them
            chips.append((_("Search words: %(q)s") % {"q": self.query.q[:60]}, "?" + remaining.urlencode()))
        for search_filter in FILTERS:
            if search_filter.name == "municipality":
                continue  # the place has its own chip, by the "where" field
            for value in facets.get(search_filter.name, []):
                if value.selected and str(value.value) in params.getlist(search_filter.name):
                    chips.append((value.label, without(search_filter.name, value.value)))
            for param in search_filter.params[1:]:
                if self.form.cleaned_data.get(param.name) not in (None, ""):
                    chips.append((f"{param.label}: {self.form.cleaned_data[param.name]}", without(param.name)))
        return chips
