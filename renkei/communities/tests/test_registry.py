"""The public registry: directory with filters and map, community pages, API and export."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from renkei.communities.models import Community, KeyPerson


def html(response):
    return response.content.decode()


class TestDirectory:
    def test_it_lists_every_community_with_a_map_of_their_prefectures(self, client):
        page = html(client.get(reverse("communities:list")))
        assert page.count('<li class="card"') == Community.objects.count() == 9
        assert 'class="japan-map"' in page and 'href="?prefecture=15"' in page  # 新潟県
        assert "<title>新潟県（1）</title>" in page

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"kind": "global"}, {"greater-tokyo", "kansai"}),
            ({"status": "registered"}, {"tokai"}),
            ({"prefecture": "21"}, {"tokai"}),
            ({"market_area": "biopharma-regenerative"}, {"tsuruoka", "fukuoka"}),
            ({"theme": "ﾊﾞｲｵﾏｽﾌﾟﾗｽﾁｯｸ"}, {"tokai"}),
            ({"theme": "スマートセル", "kind": "regional"}, {"fukuoka"}),
        ],
    )
    def test_filters(self, client, params, expected):
        page = html(client.get(reverse("communities:list"), params))
        found = {
            c.slug for c in Community.objects.all() if f'href="/communities/{c.slug}/"' in page
        }
        assert found == expected

    def test_an_unknown_filter_value_is_a_400(self, client):
        assert client.get(reverse("communities:list"), {"kind": "lunar"}).status_code == 400


class TestCommunityPage:
    def test_it_shows_members_by_sector_themes_and_history(self, client):
        page = html(client.get(reverse("communities:detail", args=["tokai"])))
        assert "構成機関（産・学・官・金）" in page
        for sector in ("学（3）", "官（3）", "金（1）"):
            assert sector in page
        assert "無給餌養殖" in page and "令和3年6月25日" in page

    def test_key_persons_contacts_are_shown_only_to_signed_in_roles(
        self, client, login, coordinator, outsider, nagaoka
    ):
        KeyPerson.objects.create(
            community=nagaoka, name="長岡 太郎", title="事務局長", email="taro@example.jp"
        )
        url = reverse("communities:detail", args=["nagaoka"])
        assert "長岡 太郎" in html(client.get(url)) and "taro@example.jp" not in html(
            client.get(url)
        )
        assert "taro@example.jp" not in html(login(outsider).get(url))
        assert "taro@example.jp" in html(login(coordinator).get(url))

    def test_sources_of_public_facts_are_listed(self, client):
        page = html(client.get(reverse("communities:detail", args=["okinawa"])))
        assert "https://okibic.jp/news/n2257187.html" in page


class TestApiAndExport:
    def test_the_api_lists_and_filters_communities(self, client):
        data = client.get("/api/communities", {"status": "certified", "kind": "regional"}).json()
        assert {c["slug"] for c in data} == {
            "hokkaido-prime",
            "tsuruoka",
            "nagaoka",
            "fukuoka",
            "okinawa",
            "hiroshima-bio-dx",
        }
        assert client.get("/api/communities", {"kind": "lunar"}).status_code == 400

    def test_a_filter_given_twice_keeps_communities_of_either_value(self, client):
        both = client.get("/api/communities", {"kind": ["regional", "global"]}).json()
        regional = client.get("/api/communities", {"kind": "regional"}).json()
        assert len(both) == len(client.get("/api/communities").json()) > len(regional)
        assert {c["kind"] for c in both} == {"regional", "global"}
        refused = client.get("/api/communities", {"kind": ["regional", "lunar"]})
        (error,) = refused.json()["detail"]
        assert error["field"] == "kind" and "「lunar」" in error["message"]

    def test_the_api_gives_members_and_history(self, client):
        data = client.get("/api/communities/nagaoka").json()
        assert {"organization": "長岡技術科学大学", "sector": "academia"}.items() <= next(
            m for m in data["members"] if m["as_written"] == "長岡技科大"
        ).items()
        assert data["history"][0]["status"] == "certified"

    def test_round_results_are_published_through_the_api(self, client):
        rounds = client.get("/api/rounds").json()
        first = next(r for r in rounds if r["fiscal_year"] == 2021)
        results = client.get(f"/api/rounds/{first['id']}/results").json()["results"]
        assert [r["decision"] for r in results].count("certified") == 4
        assert [r["decision"] for r in results].count("registered") == 1

    def test_export_communities_as_csv_and_json(self):
        out = io.StringIO()
        call_command("communities", "export", "--format", "json", stdout=out, stderr=io.StringIO())
        records = json.loads(out.getvalue())
        assert len(records) == 9 and records[0]["members"]
        out = io.StringIO()
        call_command("communities", "export", "--format", "csv", stdout=out, stderr=io.StringIO())
        lines = out.getvalue().splitlines()
        assert lines[0].startswith("\ufeff# licence: CC BY 4.0")
        assert lines[1].startswith("slug,name,") and len(lines) == 11

    def test_rounds_command_lists_rounds_and_states(self):
        out = io.StringIO()
        call_command("communities", "rounds", stdout=out)
        assert (
            "地域バイオコミュニティの認定・登録（令和3年度）\t結果公表済み 2021-06-25\t公表済み 5"
            in out.getvalue()
        )


def test_the_api_refuses_an_unknown_kind_naming_the_allowed_values(client):
    response = client.get("/api/communities", {"kind": "national"})
    assert response.status_code == 400
    (error,) = response.json()["detail"]
    assert error["field"] == "kind" and "'regional', 'global'" in error["message"]
