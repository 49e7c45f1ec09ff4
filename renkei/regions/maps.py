"""The offline map of Japan's prefectures (outlines from japanmap; see scripts/)."""

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from renkei.regions.models import Prefecture

MAP_FILE = Path(__file__).resolve().parent / "data" / "japan_map.json"


@lru_cache(maxsize=1)
def japan_map():
    return json.loads(MAP_FILE.read_text())


def prefecture_map(counts):
    """Prefecture outlines with a count for each (``counts``: prefecture code → number)."""
    shape = japan_map()
    names = dict(Prefecture.objects.values_list("code", "name"))
    return {
        "width": shape["width"],
        "height": shape["height"],
        "source": shape["source"],
        "prefectures": [
            {"code": code, "name": names.get(code, code), "count": counts.get(code, 0), **data}
            for code, data in shape["prefectures"].items()
        ],
    }


def map_of(communities):
    """Prefecture outlines, with the number of the given communities in each."""
    return prefecture_map(Counter(p.code for c in communities for p in c.prefectures.all()))
