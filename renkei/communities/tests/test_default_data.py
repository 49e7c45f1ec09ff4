"""The communities of the source's first table, enriched with their public sources."""

from renkei.communities.models import Community


def test_the_table_lists_four_certified_and_one_registered_community():
    table = Community.objects.filter(table_order__isnull=False).order_by("table_order")
    assert [(c.name, c.status) for c in table] == [
        ("北海道プライムバイオコミュニティ", "certified"),
        ("鶴岡バイオコミュニティ", "certified"),
        ("長岡バイオコミュニティ", "certified"),
        ("東海バイオコミュニティ", "registered"),
        ("福岡バイオコミュニティ", "certified"),
    ]


def test_each_abbreviation_of_the_table_is_resolved_to_a_real_organisation():
    tokai = Community.objects.get(slug="tokai")
    listed = {m.as_written: m.organization.name for m in tokai.members.filter(in_source_table=True)}
    assert listed == {
        "名大": "名古屋大学",
        "岐阜大": "岐阜大学",
        "三重大": "三重大学",
        "愛知県": "愛知県",
        "岐阜県": "岐阜県",
        "三重県": "三重県",
        "農林中金": "農林中央金庫",
    }
    aichi = tokai.members.get(as_written="愛知県").organization
    assert (aichi.kind, aichi.lg_code) == ("local_government", "230006")


def test_tokai_keeps_its_themes_and_the_table_text():
    tokai = Community.objects.get(slug="tokai")
    assert tokai.theme_list == [
        "無給餌養殖",
        "森林ビジネス",
        "バイオマスプラスチック",
        "作物市場創生",
        "スマート農業",
    ]
    assert tokai.members_as_listed == "名大、岐阜大、三重大、愛知県、岐阜県、三重県、農林中金 等"


def test_nagaoka_has_its_published_member_counts_with_sources():
    nagaoka = Community.objects.get(slug="nagaoka")
    counts = [(f.as_of, int(f.number)) for f in nagaoka.facts.filter(label="会員数")]
    assert counts == [
        ("2021 (設立)", 29),
        ("2023-06-06", 42),
        ("2024-04-26", 54),
        ("2025-04-23", 65),
    ]
    assert nagaoka.sources and nagaoka.certified_on.isoformat() == "2021-06-25"


def test_global_communities_and_later_regional_ones_come_from_the_public_sources():
    assert set(Community.objects.filter(kind="global").values_list("slug", flat=True)) == {
        "greater-tokyo",
        "kansai",
    }
    hiroshima = Community.objects.get(slug="hiroshima-bio-dx")
    assert hiroshima.certified_on is None and "2022年12月" in hiroshima.status_date_note
    assert Community.objects.get(slug="okinawa").certified_on.isoformat() == "2022-12-26"
