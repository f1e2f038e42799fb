"""Golden test: the small fixture tree builds to exactly the reference site in tests/golden/.

After an intended change to templates or plugin output, regenerate the reference with
`UPDATE_GOLDEN=1 invoke test --args tests/test_golden.py` and review the diff in git.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "small"
# theme/ is copied verbatim from theme/static; index-recherche/ is the search index, whose
# JSON files test_search.py reads back and checks.
SKIPPED = ("theme/", "index-recherche/")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(SKIPPED)
    }


def test_small_tree_matches_the_golden_site(small_site):
    built = _files(small_site)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = _files(GOLDEN)
    assert sorted(built) == sorted(expected)
    different = [name for name in built if built[name] != expected[name]]
    assert different == [], f"differs from tests/golden/small: {different}"
