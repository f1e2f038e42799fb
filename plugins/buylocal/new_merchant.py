"""`invoke new-merchant`: a valid merchant file at the right path, from a few answers.

Asks in French, offers the valid keys as numbered choices, asks only for the fields the
chosen ways to buy require, and checks the file with the real validator before writing it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .content import read_site_reference
from .data_files import KeyFinder
from .fields import suggest_slug
from .merchants import REQUIRED_BY_MODE, ReadContext, read_merchant
from .problems import closest
from .settings import SiteConfig

SCHEMA_MODELINE = "# yaml-language-server: $schema=../../../schema/merchant.schema.json"
_QUESTIONS = {
    "address": "Adresse complète (numéro, rue, ville, code postal)",
    "phone": "Téléphone, par exemple +1 418 555-0142",
    "shop_url": "Adresse de la boutique en ligne (https://…)",
}


@dataclass
class Draft:
    name: str = ""
    town: str = ""
    categories: list = field(default_factory=list)
    how_to_buy: list = field(default_factory=list)
    summary: str = ""
    extra: dict = field(default_factory=dict)  # address, phone, shop_url, website, hours...


def render(draft: Draft, today) -> str:
    """The file's text: the fields in the contract's order, then a description to write."""
    fields = {
        "name": draft.name,
        "categories": draft.categories,
        "how_to_buy": draft.how_to_buy,
        "summary": draft.summary,
        **{key: value for key, value in draft.extra.items() if value},
        "added": today.isoformat(),
    }
    return merchant_text(fields)


def merchant_text(values: dict, description: str = "") -> str:
    """A merchant file's text, as volunteers write one: modeline, fields, then description.

    Shared by new-merchant and the spreadsheet import, so both write the same way.
    """
    text = yaml.safe_dump(
        values, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000
    )
    # safe_dump quotes dates: unquote them, as volunteers write them.
    text = re.sub(r"^(added|verified): '(\d{4}-\d{2}-\d{2})'$", r"\1: \2", text, flags=re.M)
    lines = description.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "\n".join(line.rstrip() for line in lines).strip("\n")
    return f"---\n{SCHEMA_MODELINE}\n{text}---\n" + (f"{body}\n" if body else "")


def free_slug(folder: Path, name: str) -> str:
    """The slug of the name; -2, -3… when the town already has one by that name."""
    base = suggest_slug(name)
    slug, number = base, 1
    while (folder / f"{slug}.md").exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def create(config: SiteConfig, draft: Draft, stream=sys.stdout) -> Path | None:
    """Write the merchant file if it validates; otherwise print why and write nothing."""
    ref, _problems = read_site_reference(config)
    # "Rimouski", "Épiceries" or "livraison locale" work as well as the keys.
    draft.town = KeyFinder(ref.towns).find(draft.town) or draft.town
    draft.categories = KeyFinder(ref.categories).keys_of(",".join(draft.categories))
    draft.how_to_buy = KeyFinder(ref.how_to_buy).keys_of(",".join(draft.how_to_buy))
    towns = ref.towns
    if draft.town not in towns:
        hint = closest(draft.town, towns)
        print(
            f"« {draft.town} » n'est pas une ville de data/towns.yml"
            + (f" (vouliez-vous dire « {hint} » ?)" if hint else "")
            + f" : choisissez parmi {', '.join(towns)}.",
            file=stream,
        )
        return None
    root = Path(config.content_path)
    folder = root / config.merchants_dir / draft.town
    slug = free_slug(folder, draft.name)
    if slug != (first := suggest_slug(draft.name)):
        print(
            f"Attention : {draft.town} a déjà un commerce nommé ainsi ({first}.md)."
            " Si c'est le même, corrigez sa fiche au lieu d'en créer une autre.",
            file=stream,
        )
    path = folder / f"{slug}.md"
    text = render(draft, config.today)
    ctx = ReadContext.for_site(config, ref)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    merchant, problems = read_merchant(path, str(path), draft.town, slug, ctx)
    if merchant is None:
        path.unlink()
        for problem in problems:
            print(problem.format("fr"), file=stream)
        print("Rien n'a été écrit : corrigez les réponses ci-dessus et recommencez.", file=stream)
        return None
    print(
        f"Fiche créée : {path}\n"
        "Étapes suivantes :\n"
        "  1. Ouvrez le fichier et écrivez, sous la dernière ligne « --- », la description du "
        "commerce en quelques phrases.\n"
        "  2. Ajoutez au besoin les champs facultatifs (horaire, site web, photo…) : voir "
        "docs/merchant-format.md.\n"
        "  3. Vérifiez avec : .venv/bin/invoke validate\n"
        "  4. Proposez la fiche (pull request ou merge request) : voir CONTRIBUTING.md.",
        file=stream,
    )
    return path


def ask(config: SiteConfig, read=input, stream=sys.stdout) -> Draft:
    """Ask for each field in French; choices are numbered, several separated by commas."""
    ref, _problems = read_site_reference(config)
    draft = Draft()
    draft.name = _ask_text(read, "Nom du commerce", stream)
    draft.town = _choose(read, "Ville", ref.towns, stream, several=False)[0]
    draft.categories = _choose(read, "Catégories (1 à 3)", ref.categories, stream, limit=3)
    draft.how_to_buy = _choose(read, "Façons d'acheter", ref.how_to_buy, stream)
    draft.summary = _ask_text(read, "Résumé en une ligne (160 caractères au plus)", stream)
    for mode, needed in REQUIRED_BY_MODE.items():
        if mode in draft.how_to_buy and needed not in draft.extra:
            draft.extra[needed] = _ask_text(read, _QUESTIONS[needed], stream)
    draft.extra["website"] = read("Site web (facultatif, Entrée pour passer) : ").strip()
    return draft


def _ask_text(read, question: str, stream) -> str:
    while True:
        answer = read(f"{question} : ").strip()
        if answer:
            return answer
        print("Une réponse est nécessaire.", file=stream)


def _choose(read, question, items: dict, stream, several=True, limit=None) -> list:
    keys = list(items)
    for number, key in enumerate(keys, start=1):
        print(f"  {number}. {items[key].name.get()} ({key})", file=stream)
    hint = "numéros séparés par des virgules" if several else "un numéro"
    while True:
        answer = read(f"{question} ({hint}) : ")
        chosen = []
        for part in answer.replace(" ", "").split(","):
            if part.isdigit() and 1 <= int(part) <= len(keys):
                chosen.append(keys[int(part) - 1])
            elif part in items:
                chosen.append(part)
        chosen = list(dict.fromkeys(chosen))
        if chosen and (several or len(chosen) == 1) and (not limit or len(chosen) <= limit):
            return chosen
        print("Réponse non reconnue : tapez les numéros de la liste.", file=stream)
