"""Issue 12 (3): Mr Yamamoto confirms his need and leaves with what he needs to follow it —
a reference number to quote and the link to his private status page, on the page and in
the mail; invalid posts of the form never use up his hourly limit."""

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from renkei.matching import actions
from renkei.matching.forms import NeedForm
from renkei.matching.models import Need

FORM = reverse("matching:need_new")


def _submitted(data):
    form = NeedForm(data)
    assert form.is_valid(), form.errors
    need = actions.submit_need(form.cleaned_data)
    need.confirm_token_hash = actions._token_hash("known-token")
    need.save()
    return need


def test_a_need_has_a_reference_number_of_its_year_and_id(need_form_data):
    need = _submitted(need_form_data)
    year = timezone.localtime(need.created_at).year
    assert need.reference == f"N-{year}-{need.pk:06d}"
    assert re.fullmatch(r"N-\d{4}-\d{6}", need.reference)


def test_the_confirmation_page_gives_the_reference_number_and_the_private_status_link(
    client, need_form_data
):
    need = _submitted(need_form_data)
    page = client.post(reverse("matching:need_confirm", args=["known-token"])).content.decode()
    assert "確認できました" in page
    assert "受付番号" in page and need.reference in page
    assert f'href="{need.get_status_url()}"' in page
    # the link works: it is the submitter's own page
    assert client.get(need.get_status_url()).status_code == 200


def test_opening_the_link_again_after_confirming_still_gives_both(client, need_form_data):
    need = _submitted(need_form_data)
    client.post(reverse("matching:need_confirm", args=["known-token"]))
    page = client.get(reverse("matching:need_confirm", args=["known-token"])).content.decode()
    assert "確認済み" in page and need.reference in page
    assert f'href="{need.get_status_url()}"' in page


def test_the_confirmation_mail_gives_the_reference_number_and_the_private_status_link(
    need_form_data, django_capture_on_commit_callbacks
):
    need = _submitted(need_form_data)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_need("known-token")
    [received] = [m for m in mail.outbox if m.to == [need.email]]
    assert f"受付番号: {need.reference}" in received.body
    assert need.get_status_url() in received.body


def test_the_reference_number_is_not_shown_before_the_address_is_confirmed(client, need_form_data):
    need = _submitted(need_form_data)
    page = client.get(reverse("matching:need_confirm", args=["known-token"])).content.decode()
    assert "受付を確定する" in page
    assert need.reference not in page and need.get_status_url() not in page


def test_posts_refused_for_any_invalid_field_do_not_count_toward_the_hourly_limit(
    client, need_form_data, settings
):
    settings.RENKEI_NEED_FORM_LIMIT = 2
    invalid = [
        {"consent": ""},
        {"email": "not-an-address"},
        {"description": "短い"},
        {"title": ""},
        {"prefecture": ""},
        {"submitter_kind": "farmer"},
    ]
    for change in invalid * 2:
        page = client.post(FORM, {**need_form_data, **change})
        assert page.status_code == 200, change
    assert [client.post(FORM, need_form_data).status_code for _ in range(2)] == [302, 302]
    assert client.post(FORM, need_form_data).status_code == 429
    assert Need.objects.count() == 2
