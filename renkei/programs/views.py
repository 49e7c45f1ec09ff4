from django.shortcuts import get_object_or_404, render

from renkei.programs.models import ApplicantType, BudgetLine, Program


def program_list(request):
    programs = Program.objects.with_details()
    applicant = request.GET.get("applicant")
    if applicant in ApplicantType.values:
        programs = programs.for_applicant(applicant)
    return render(
        request,
        "programs/list.html",
        {"programs": programs, "applicant": applicant, "applicant_types": ApplicantType},
    )


def detail(request, code):
    program = get_object_or_404(Program.objects.with_details(), code=code)
    return render(request, "programs/detail.html", {"program": program})


def budget(request):
    lines = list(
        BudgetLine.objects.filter(source=BudgetLine.Source.BUDGET_TABLE, fiscal_year=2022)
        .select_related("program__ministry")
        .order_by("order")
    )
    previous = {
        line.program_id: line
        for line in BudgetLine.objects.filter(
            source=BudgetLine.Source.BUDGET_TABLE, fiscal_year=2021
        )
    }
    rows = [(line, previous.get(line.program_id)) for line in lines]
    return render(request, "programs/budget.html", {"rows": rows})
