"""The findings → responses page: each finding of the source's interviews and survey, and
what in the portal answers it, kept by the secretariat."""

from django.urls import reverse

from renkei.accounts.models import AuditLog
from renkei.councils.models import Finding, FindingResponse


def test_the_public_page_lists_every_finding_and_what_answers_it(client):
    html = client.get(reverse("councils:findings")).content.decode()
    assert "会議体・協議体の機能不全" in html
    assert "中小事業者や個人事業主にとって、高等教育機関への相談はハードルが高い" in html
    assert (
        'href="/councils/councils/"' in html
        and 'href="/regions/windows/ask/?topic=regulation"' in html
    )
    assert "対応を追加する" not in html


def test_every_link_on_the_page_works(client):
    for response in FindingResponse.objects.all():
        assert client.get(response.link).status_code == 200, response.link


def test_the_secretariat_adds_and_removes_a_response(login, secretariat):
    finding = Finding.objects.get(title="国の実証事業の限界")
    sato = login(secretariat)
    sato.post(
        reverse("councils:finding_response_add", args=[finding.pk]),
        {"title": "取組事例", "link": "/councils/cases/", "note": "実装まで進んだ事例"},
    )
    added = finding.responses.get(title="取組事例")
    assert added.created_by == secretariat
    sato.post(reverse("councils:finding_response_remove", args=[added.pk]))
    assert not finding.responses.filter(title="取組事例").exists()
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"findings.add_response", "findings.remove_response"} <= actions


def test_a_link_that_is_neither_a_path_nor_an_address_is_refused(login, secretariat):
    finding = Finding.objects.first()
    before = finding.responses.count()
    login(secretariat).post(
        reverse("councils:finding_response_add", args=[finding.pk]),
        {"title": "悪いリンク", "link": "javascript:alert(1)"},
    )
    assert finding.responses.count() == before


def test_nobody_but_the_secretariat_changes_the_page(login, coordinator):
    finding = Finding.objects.first()
    client = login(coordinator)
    response = client.post(
        reverse("councils:finding_response_add", args=[finding.pk]),
        {"title": "x", "link": "/programs/"},
    )
    assert response.status_code == 403
    first = finding.responses.first()
    assert (
        client.post(reverse("councils:finding_response_remove", args=[first.pk])).status_code == 403
    )
