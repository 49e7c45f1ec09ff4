"""Agreements reached before matching reported them to maturity: count them once into
maturity's counted values (maturity no longer reads matching's tables)."""

from collections import Counter

from django.db import migrations


def forwards(apps, schema_editor):
    MatchRecord = apps.get_model("matching", "MatchRecord")
    Indicator = apps.get_model("maturity", "Indicator")
    CountedValue = apps.get_model("maturity", "CountedValue")
    indicator = Indicator.objects.filter(automatic="matching", retired_on__isnull=True).first()
    if indicator is None:
        return
    counts = Counter()
    for community_id, day in MatchRecord.objects.filter(
        status="agreed", agreed_on__isnull=False, community__isnull=False
    ).values_list("community_id", "agreed_on"):
        counts[(community_id, day.year if day.month >= 4 else day.year - 1)] += 1
    for (community_id, year), count in counts.items():
        CountedValue.objects.update_or_create(
            community_id=community_id,
            indicator=indicator,
            fiscal_year=year,
            defaults={"value": count},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("maturity", "0002_countedvalue"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
