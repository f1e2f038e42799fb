"""docs/merchant-format.md is the contract with volunteers: every example in it stays valid."""

from __future__ import annotations

import re
import shutil

from conftest import FIXTURES, ROOT

DOC = ROOT / "docs" / "merchant-format.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_merchant_example_validates(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    [example] = _blocks("markdown")
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    (tree / "data" / "towns.yml").write_text(
        "rimouski:\n  name: Rimouski\n  region: Bas-Saint-Laurent\n"
        "mont-joli:\n  name: Mont-Joli\n  region: Bas-Saint-Laurent\n"
    )
    (tree / "data" / "how-to-buy.yml").write_text(
        "".join(
            f"{key}:\n  name: {key}\n" for key in ("in_store", "pickup", "delivery", "gift_card")
        )
    )
    shutil.rmtree(tree / "merchants")
    (tree / "merchants" / "rimouski").mkdir(parents=True)
    (tree / "merchants" / "rimouski" / "bistro-lardoise.md").write_text(example)
    (tree / "images" / "merchants" / "pas-une-image.jpg").unlink()
    shutil.copy(
        ROOT / "content" / "images" / "merchants" / "cafe-du-havre.jpg",
        tree / "images" / "merchants" / "bistro-lardoise.jpg",
    )
    content, problems = read_content(
        site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    )
    assert problems == []
    assert content.merchants[0].name == "Bistro L'Ardoise"


def test_the_data_file_examples_validate(tmp_path):
    from buylocal.data_files import read_reference

    [example] = _blocks("yaml")
    sections = re.split(r"^# data/(\S+)\n", example, flags=re.M)[1:]
    files = dict(zip(sections[::2], sections[1::2], strict=True))
    assert set(files) == {"towns.yml", "categories.yml", "how-to-buy.yml"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    reference, problems = read_reference(tmp_path, "data", "fr", 65536)
    assert problems == []
    assert reference.towns["val-d-or"].name.get() == "Val-d’Or"
    assert reference.categories["restaurants"].schema_type == "Restaurant"
