"""With Django's debug mode on, every query is formatted for the debug log: the search SQL
must use placeholders Django can format (RENKEI_DEBUG=true once broke every text search)."""

from django.test import override_settings
from django.urls import reverse


@override_settings(DEBUG=True)
def test_a_text_search_works_in_debug_mode(client):
    response = client.get(reverse("programs:search"), {"q": "事業"})
    assert response.status_code == 200
    assert "地域活性化人材育成事業" in response.content.decode()


@override_settings(DEBUG=True)
def test_a_community_page_with_its_program_fit_works_in_debug_mode(client):
    assert client.get(reverse("communities:detail", args=["nagaoka"])).status_code == 200
