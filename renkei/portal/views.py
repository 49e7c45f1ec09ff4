from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from renkei.communities.models import Community
from renkei.councils.models import Survey
from renkei.programs.models import ApplicantType, Program
from renkei.regions.models import Organization


def home(request):
    programs = Program.objects.in_support_menu()
    context = {
        "program_count": programs.count(),
        "applicant_counts": [(t, programs.for_applicant(t.value).count()) for t in ApplicantType],
        "communities": Community.objects.listed().only("slug", "name", "status", "kind"),
        "university_count": Organization.objects.universities().active().count(),
        "survey": Survey.objects.first(),
    }
    return render(request, "portal/home.html", context)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
