from django.shortcuts import get_object_or_404, render

from renkei.councils.models import CaseStudy, Interview, Survey


def index(request):
    return render(
        request,
        "councils/index.html",
        {
            "interviews": Interview.objects.prefetch_related("themes__issues"),
            "surveys": Survey.objects.all(),
            "cases": CaseStudy.objects.select_related("prefecture"),
        },
    )


def interview(request, slug):
    interview = get_object_or_404(Interview.objects.prefetch_related("themes__issues"), slug=slug)
    return render(request, "councils/interview.html", {"interview": interview})


def survey(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    return render(
        request,
        "councils/survey.html",
        {
            "survey": survey,
            "examples": survey.composition_examples.all(),
            "cases": survey.case_studies.select_related("prefecture"),
            "without_council": survey.population - survey.with_council,
            "with_council_percent": round(100 * survey.with_council / survey.population),
        },
    )


def case_study(request, slug):
    case = get_object_or_404(CaseStudy.objects.select_related("prefecture", "survey"), slug=slug)
    return render(request, "councils/case.html", {"case": case})
