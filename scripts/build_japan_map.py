"""Build renkei/regions/data/japan_map.json: one SVG path per prefecture.

The outlines come from the `japanmap` package (Apache-2.0, https://github.com/SaitoTsutomu/japanmap),
which ships prefecture boundaries (the area holding each prefectural capital; Hokkaido and
Okinawa moved closer, as on most maps of Japan). We keep only the path data so the portal
draws the map offline with no dependency at run time. Rerun after upgrading japanmap:

    pip install japanmap==0.6.0 && python scripts/build_japan_map.py
"""

import json
from pathlib import Path

import numpy as np
from japanmap import pref_points

OUT = Path(__file__).resolve().parent.parent / "renkei" / "regions" / "data" / "japan_map.json"
WIDTH = 1000
RATIO = (0.812, -1.0)  # longitude shrink at Japan's latitude; y grows downwards in SVG


def main():
    points = pref_points(rough=False)
    scaled = [np.array([[x * RATIO[0], y * RATIO[1]] for x, y in ring]) for ring in points]
    everything = np.vstack(scaled)
    low, high = everything.min(0), everything.max(0)
    scale = WIDTH / (high - low).max()
    paths = {}
    for code, ring in enumerate(scaled, start=1):
        xy = (ring - low) * scale
        kept = [xy[0]]
        for point in xy[1:]:  # drop points closer than 1.5 units to the last kept one
            if np.hypot(*(point - kept[-1])) >= 1.5:
                kept.append(point)
        d = "M" + " L".join(f"{x:.0f},{y:.0f}" for x, y in kept) + " Z"
        centre = xy.mean(0)
        paths[f"{code:02d}"] = {
            "d": d,
            "cx": round(float(centre[0]), 1),
            "cy": round(float(centre[1]), 1),
        }
    size = (high - low) * scale
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "source": "japanmap 0.6.0 (Apache-2.0) https://github.com/SaitoTsutomu/japanmap",
                "width": round(float(size[0]), 1),
                "height": round(float(size[1]), 1),
                "prefectures": paths,
            },
            ensure_ascii=False,
        )
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
