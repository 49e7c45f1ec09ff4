"""A reviewer's list of assignments. Scores, drafts and conflicts of interest are the forms
of the application's own page (views/applications.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from renkei.communities.models import ReviewAssignment


@login_required
def reviews(request):
    assignments = (
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("application__community", "application__round", "review_draft")
        .order_by("-assigned_at")
    )
    return render(request, "communities/reviews.html", {"assignments": assignments})
