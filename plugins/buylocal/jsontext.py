"""Compact JSON text, written by orjson: about a seventh of json.dumps's time, and every
page's JSON-LD, every search entry and every open-data row is one.

The text is json.dumps(value, ensure_ascii=False, separators=(",", ":")), but for floats
under 0.0001 (json.dumps writes 0.00001 as 1e-05; both are valid JSON) and enums. What
orjson would write on its own and json.dumps refuses (dataclasses, dates: a template's
`jsonld` filter given a merchant) is refused as before, and what orjson refuses (keys that
are not text) gets json.dumps's answer.
"""

from __future__ import annotations

import json

import orjson

_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def compact(value, sort_keys: bool = False) -> str:
    try:
        option = _OPTIONS | orjson.OPT_SORT_KEYS if sort_keys else _OPTIONS
        return orjson.dumps(value, option=option).decode()
    except TypeError:  # orjson.JSONEncodeError too: json.dumps's text, or its error
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
