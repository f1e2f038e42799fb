"""Compact JSON text, written by orjson: a tenth of json.dumps's time, and every page's
JSON-LD, every search entry and every open-data row is one.

The text is json.dumps(value, ensure_ascii=False, separators=(",", ":")) for the values we
write (strings, whole numbers, booleans, None, lists, tuples, dicts with text keys), and
for floats from 0.0001 up: json.dumps writes 0.00001 as 1e-05. Both are valid JSON.
"""

from __future__ import annotations

import orjson


def compact(value, sort_keys: bool = False) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
