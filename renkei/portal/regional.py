"""Pages that gather every app's part of a place, so they live in the portal shell (regions
may not import the apps above it):

- the hub of a prefecture or designated city: its windows, councils, communities,
  universities with their seeds, needs from the region, published survey answers, cases and
  the programs open to local governments (③);
- "Where do I ask?" (どこに相談すればいい？): the windows for a topic, nearest first, then
  nationwide, each with its organisation's seeds and its region's councils.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from renkei.communities.models import Community
from renkei.councils.models import CaseStudy, Council, SurveyResponse
from renkei.councils.results import answer_text
from renkei.councils.rules import kept_council_ids
from renkei.matching.models import Need, Seed
from renkei.programs.models import ApplicantType, Program
from renkei.regions.models import ContactWindow, Municipality, Organization, Prefecture
from renkei.regions.nearby import AskForm, windows_for

HUB_WINDOWS = 30
HUB_UNIVERSITIES = 20
SEEDS_PER_ORGANIZATION = 3


def _seeds_by_organization(user, organization_ids):
    """{organisation id: (first seeds, count)} of the seeds this person may see."""
    seeds = (
        Seed.objects.active()
        .visible_to(user)
        .filter(organization_id__in=organization_ids)
        .only("pk", "title", "organization_id", "stage")
        .order_by("-updated_at", "pk")
    )
    grouped = defaultdict(list)
    for seed in seeds:
        grouped[seed.organization_id].append(seed)
    return {pk: (items[:SEEDS_PER_ORGANIZATION], len(items)) for pk, items in grouped.items()}


def _councils(user, **where):
    return (
        Council.objects.visible_to(user, kept_council_ids(user))
        .filter(**where)
        .select_related("prefecture", "municipality", "organization")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


def _published_answers(organization_ids):
    """The organisations' answers to surveys that publish them, question by question."""
    responses = (
        SurveyResponse.objects.filter(
            organization_id__in=organization_ids,
            survey__results_published_at__isnull=False,
            survey__answers_public=True,
        )
        .select_related("survey", "organization")
        .prefetch_related("survey__questions")
    )
    return [
        (
            response,
            [
                (q, answer_text(q, response.answers.get(q.key)))
                for q in response.survey.questions.all()
            ],
        )
        for response in responses
    ]


def _hub(request, *, title, prefecture, organizations, windows, councils, municipality=None):
    universities = (
        organizations.universities()
        .active()
        .annotate(
            seed_count=Count(
                "seeds",
                filter=Q(seeds__archived=False, seeds__visibility="public"),
                distinct=True,
            )
        )
        .order_by("-seed_count", "name")
    )
    shown = list(universities[:HUB_UNIVERSITIES])
    # the prefecture's (or city's) own body: its survey answers, once published
    own_body = Organization.objects.filter(
        lg_code=(municipality or prefecture).lg_code
    ).values_list("pk", flat=True)
    context = {
        "title": title,
        "prefecture": prefecture,
        "municipality": municipality,
        "windows": list(windows[:HUB_WINDOWS]),
        "window_total": windows.count(),
        "councils": list(councils),
        "communities": Community.objects.filter(prefectures=prefecture).order_by("name"),
        "universities": shown,
        "university_total": universities.count(),
        "seeds": _seeds_by_organization(request.user, [u.pk for u in shown]),
        "needs": Need.objects.in_queue().filter(prefecture=prefecture)[:10],
        "answers": _published_answers(list(own_body)),
        "cases": CaseStudy.objects.filter(prefecture=prefecture).order_by("order"),
        "programs": Program.objects.in_support_menu().for_applicant(ApplicantType.LOCAL_GOVERNMENT),
        "others": organizations.active()
        .exclude(kind=Organization.Kind.UNIVERSITY)
        .order_by("kind", "name"),
    }
    return context


def _windows_of(organizations):
    return (
        ContactWindow.objects.listed()
        .filter(organization__in=organizations)
        .select_related("organization")
        .prefetch_related("program_contacts__program")
        .with_topics()
        .order_by("organization__kind", "organization__name", "-is_primary", "department")
    )


def prefecture(request, code):
    prefecture = get_object_or_404(Prefecture, code=code)
    organizations = Organization.objects.filter(prefecture=prefecture)
    context = _hub(
        request,
        title=prefecture.display_name,
        prefecture=prefecture,
        organizations=organizations,
        windows=_windows_of(organizations),
        councils=_councils(request.user, prefecture=prefecture),
    )
    context["municipalities"] = prefecture.municipalities.filter(parent__isnull=True).order_by(
        "lg_code"
    )
    context["cities"] = prefecture.municipalities.designated_cities()
    return render(request, "regions/hub.html", context)


def city(request, lg_code):
    municipality = get_object_or_404(
        Municipality.objects.select_related("prefecture"), lg_code=lg_code
    )
    if municipality.kind != Municipality.Kind.DESIGNATED_CITY:
        raise Http404
    prefecture = municipality.prefecture
    organizations = Organization.objects.filter(
        Q(municipality=municipality) | Q(municipality__parent=municipality)
    )
    context = _hub(
        request,
        title=municipality.name,
        prefecture=prefecture,
        municipality=municipality,
        organizations=organizations,
        windows=_windows_of(organizations),
        councils=_councils(request.user, municipality=municipality),
    )
    context["municipalities"] = municipality.wards.order_by("lg_code")
    context["cities"] = []
    return render(request, "regions/hub.html", context)


def ask(request):
    """どこに相談すればいい？ — topic and place in, windows out (nearest first)."""
    # A link may choose the topic or the place ahead (?topic=regulation, ?prefecture=15):
    # the form shows them chosen and asks for the rest; it searches once both are given.
    if request.GET.get("topic") and request.GET.get("prefecture"):
        form = AskForm(request.GET)
    else:
        form = AskForm(initial=request.GET.dict())
    answer = None
    seeds, councils = {}, {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        answer = windows_for(data["topic"], data["prefecture"], data["municipality"])
        found = answer.nearby + answer.nationwide
        seeds = _seeds_by_organization(request.user, {f.window.organization_id for f in found})
        prefectures = {f.window.organization.prefecture_id for f in found} | {
            data["prefecture"].code
        }
        for council in Council.objects.public().filter(prefecture__in=prefectures).order_by("name"):
            councils.setdefault(council.prefecture_id, []).append(council)
    return render(
        request,
        "regions/ask.html",
        {
            "form": form,
            "answer": answer,
            "seeds": seeds,
            "councils": councils,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
