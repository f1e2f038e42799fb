"""The JSON Schema of a merchant file's front matter, generated from the validator's own rules.

Why: volunteers write merchant files by hand. With a JSON Schema, an editor that runs the YAML
language server (VS Code's YAML extension, and others) completes field names and the keys of the
data files, shows each field's help on hover, and underlines mistakes as people type, long before
`invoke validate`. Every file points at the published schema with a first line
`# yaml-language-server: $schema=../../../schema/merchant.schema.json`. A limit to know: VS Code's
YAML extension only checks files in YAML mode, not the front matter of a Markdown file
(redhat-developer/vscode-yaml#207); .vscode/settings.json maps the schema to merchant files for
when one is opened as YAML, and the modeline serves any tool that hands front matter to the
YAML language server.

Why generated: a schema written by hand drifts away from the validator. This one is built from
the constants that merchants.py and fields.py check with (FIELDS, REQUIRED_BY_MODE, STATUSES,
ISO_639_1, the key and image-path patterns, ...) and, for the published file, from the keys of
content/data, so editors offer the directory's real categories, ways to buy and towns.
tests/test_schema.py fails when schema/merchant.schema.json is out of date, and checks that the
schema and the validator give the same verdict on every test fixture.

The schema helps, the validator decides. The schema cannot judge what depends on the day, on two
fields at once, on files, or on the raw YAML: a date in the future or that does not exist,
`verified` before `added`, the opening_hours grammar, whether a phone number or e-mail address
really exists, the image file itself, YAML aliases, tags and duplicate keys, the file name.
It also describes the YAML the way editors read it (YAML 1.2): `no` and `2021-01-01` are text,
`48.45` is a number. So geo coordinates are numbers (a quoted "48.45" is accepted by the
validator, not by the schema), free text may be a number (`name: 1984`), and a field left empty
is written with nothing after the colon (`verified:`).

Regenerate after changing the data files or the validator:
    PYTHONPATH=plugins python -m buylocal.schema
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .data_files import Reference
from .fields import KEY_RE, MAX_PHONE, MISSING
from .merchants import (
    EN_FIELDS,
    FIELDS,
    IMAGE_PATH_RE,
    IMAGE_SUFFIXES,
    ISO_639_1,
    MAX_DESCRIPTION,
    MAX_TAGS,
    REQUIRED_BY_MODE,
    STATUSES,
    WHEELCHAIR,
)
from .problems import ContentError

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = Path("schema") / "merchant.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# The limits read_merchant passes to FieldChecker.text (written there as literals);
# tests/test_schema.py probes each one at its limit and one past it.
REQUIRED = ("name", "categories", "how_to_buy", "summary", "added")
TEXT_LIMITS = {
    "name": 120,
    "summary": 160,
    "address": 300,
    "source": 300,
    "image": 300,
    "image_alt": 300,
    "hours": 500,
    "tags": 40,  # each tag (FieldChecker.text_list)
    "en.name": 120,
    "en.summary": 160,
    "en.description": MAX_DESCRIPTION,
}
MAX_CATEGORIES = 3
DELIVERY = "delivery"  # the way to buy that allows delivery_area

# Patterns: ECMAScript regular expressions (editors run them with the "u" flag) that mean the
# same in Python's re (the jsonschema package). No flags exist: case is spelled out.
ONE_LINE = r"^\s*\S(?:[^\n]*\S)?\s*$"
NOT_BLANK = r"\S"
DATE = r"^\d{4}-\d{2}-\d{2}$"
_URL_CHAR = r"""[^\s"<>\\^`{|}]"""
_HOST_CHAR = r"""[^\s/?#@:"<>\\^`{|}_]"""
URL = (
    rf"^\s*[hH][tT][tT][pP][sS]?://{_HOST_CHAR}+\.{_HOST_CHAR}+"
    rf"(?::[0-9]{{1,5}})?(?:[/?#]{_URL_CHAR}*)?\s*$"
)
_EMAIL_CHAR = r"[^\s@?&%=/#]"  # ?&%=/# would add headers or a body to the mailto: link
EMAIL = rf"^\s*{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\.{_EMAIL_CHAR}+\s*$"
_EXTENSION = r"(?:[pP][oO][sS][tT][eE]|[pP]\.|[eE][xX][tT]\.?|[xX])"  # as fields._EXTENSION_RE
PHONE = (
    r"^\s*(?:\+?1[-\s.]{0,3})?(?:\(\d{3}\)|\d{3})[-\s.]{0,3}\d{3}[-\s.]{0,3}\d{4}"
    rf"(?:[\s,;]{{0,3}}{_EXTENSION}\s?\d{{1,6}})?\s*$"
)


def _any_case(text: str) -> str:
    """A pattern matching `text` in any case ('.png' and '.PNG'): patterns take no flags."""
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.isalpha() else ("\\." if c == "." else c) for c in text
    )


# check_image_file: IMAGE_PATH_RE, no "." or ".." part, no "//" (the path must already be in
# normal form), and one of IMAGE_SUFFIXES.
IMAGE = (
    rf"^(?=(?:{IMAGE_PATH_RE.pattern})$)(?!.*/\.\.?(?:/|$))(?!.*//)"
    rf".*(?:{'|'.join(_any_case(suffix) for suffix in IMAGE_SUFFIXES)})$"
)


def _both(french: str, english: str) -> str:
    return f"{french} ({english})"


def _text(field, title, french, english, *, required=False, number=True, one_line=True):
    """A free-text field: a YAML scalar (editors see `1984` as a number, the validator as
    text), one line unless told, at most its limit.
    """
    types = ["string", "number"] if number else ["string"]
    return {
        "title": title,
        "description": _both(french, english),
        "type": types if required else [*types, "null"],
        "maxLength": TEXT_LIMITS[field],
        "pattern": ONE_LINE if one_line else NOT_BLANK,
        "patternErrorMessage": _both("Une seule ligne de texte", "one line of text")
        if one_line
        else _both("Texte vide", "empty text"),
    }


def _keys(reference: Reference | None, kind: str) -> list[str]:
    if reference is None:
        return []
    return [key for key in getattr(reference, kind) if KEY_RE.fullmatch(key)]


def _key_list(reference, kind, where, title, french, english, *, low=0, high=None):
    """A list of keys of a data file, or one key alone ("categories: restaurants")."""
    keys = _keys(reference, kind)
    if keys:
        item = {"enum": keys}
        names = [getattr(reference, kind)[key].name for key in keys]
        item["enumDescriptions"] = [_both(name.get("fr"), name.get("en")) for name in names]
        alone = f"^(?:{'|'.join(keys)})$"
    else:
        item = {"type": "string", "pattern": f"^(?:{KEY_RE.pattern})$"}
        alone = item["pattern"]
    schema = {
        "title": title,
        "description": _both(french, english),
        "type": ["array", "string"] if low else ["array", "string", "null"],
        "items": item,
        "uniqueItems": True,
        "pattern": alone,
        "patternErrorMessage": _both(f"Une clé de {where}", f"a key of {where}"),
    }
    if low:
        schema["minItems"] = low
    if high:
        schema["maxItems"] = high
    return schema


def _url(field, title, french="", english=""):
    required_fr, required_en = _required_note(field)
    return {
        "title": title,
        "description": _both(
            " ".join(filter(None, (required_fr, french, "Adresse http:// ou https:// seulement."))),
            " ".join(filter(None, (required_en, english, "An http:// or https:// address only."))),
        ),
        "type": ["string", "null"],
        "pattern": URL,
        "patternErrorMessage": _both(
            "Une adresse web complète qui commence par https:// ou http://, sans espace",
            "a full web address starting with https:// or http://, without spaces",
        ),
    }


def _modes_text(modes: list[str], french_or: str = "ou", english_or: str = "or") -> tuple:
    if len(modes) == 1:
        return modes[0], modes[0]
    head = ", ".join(modes[:-1])
    return f"{head} {french_or} {modes[-1]}", f"{head} {english_or} {modes[-1]}"


def _modes_by_field() -> dict[str, list[str]]:
    needed: dict[str, list[str]] = {}
    for mode, field in REQUIRED_BY_MODE.items():
        needed.setdefault(field, []).append(mode)
    return needed


def _required_note(field: str) -> tuple[str, str]:
    modes = _modes_by_field().get(field)
    if not modes:
        return "Facultatif.", "Optional."
    french, english = _modes_text(modes)
    return (
        f"Obligatoire quand how_to_buy contient {french}.",
        f"Required when how_to_buy has {english}.",
    )


def _properties(reference: Reference | None) -> dict:
    address_fr, address_en = _required_note("address")
    phone_fr, phone_en = _required_note("phone")
    modes, modes_en = [], []
    for field, needing in _modes_by_field().items():
        french, english = _modes_text(needing)
        plural = len(needing) > 1
        modes.append(f"{french} {'demandent' if plural else 'demande'} {field}")
        modes_en.append(f"{english} {'require' if plural else 'requires'} {field}")
    properties = {
        "name": _text(
            "name",
            "Nom du commerce (Business name)",
            f"Obligatoire. Le nom affiché, une ligne de 1 à {TEXT_LIMITS['name']} caractères.",
            f"Required. The name shown, one line of 1–{TEXT_LIMITS['name']} characters.",
            required=True,
        ),
        "categories": _key_list(
            reference,
            "categories",
            "data/categories.yml",
            "Catégories (Categories)",
            f"Obligatoire. 1 à {MAX_CATEGORIES} clés de data/categories.yml, "
            "par exemple [restaurants].",
            f"Required. 1–{MAX_CATEGORIES} keys of data/categories.yml, e.g. [restaurants].",
            low=1,
            high=MAX_CATEGORIES,
        ),
        "how_to_buy": _key_list(
            reference,
            "how_to_buy",
            "data/how-to-buy.yml",
            "Façons d'acheter (Ways to buy)",
            "Obligatoire. Au moins une clé de data/how-to-buy.yml, par exemple "
            f"[in_store, delivery]. {' ; '.join(modes)}.",
            "Required. At least one key of data/how-to-buy.yml, e.g. [in_store, delivery]. "
            f"{'; '.join(modes_en)}.",
            low=1,
        ),
        "summary": _text(
            "summary",
            "Résumé (Summary)",
            f"Obligatoire. Une ligne, au plus {TEXT_LIMITS['summary']} caractères ; "
            "sert de description de la page pour les moteurs de recherche.",
            f"Required. One line, at most {TEXT_LIMITS['summary']} characters; "
            "used as the page's meta description.",
            required=True,
        ),
        "added": {
            "title": "Date d'ajout (Date added)",
            "description": _both(
                "Obligatoire. Date AAAA-MM-JJ, pas dans le futur.",
                "Required. Date YYYY-MM-DD, not in the future.",
            ),
            "type": "string",
            "format": "date",
            "pattern": DATE,
            "patternErrorMessage": _both(
                "Une date AAAA-MM-JJ, par exemple 2024-05-31", "a date YYYY-MM-DD"
            ),
        },
        "verified": {
            "title": "Date de vérification (Date verified)",
            "description": _both(
                "Facultatif (par défaut : added). Date AAAA-MM-JJ où quelqu'un a confirmé "
                "la fiche ; pas avant added, pas dans le futur.",
                "Optional, defaults to added. Date YYYY-MM-DD someone last confirmed the "
                "listing; not before added, not in the future.",
            ),
            "type": ["string", "null"],
            "format": "date",
            "pattern": DATE,
            "patternErrorMessage": _both(
                "Une date AAAA-MM-JJ, par exemple 2024-05-31", "a date YYYY-MM-DD"
            ),
        },
        "address": _text(
            "address",
            "Adresse (Address)",
            f"{address_fr} Une ligne, au plus {TEXT_LIMITS['address']} caractères.",
            f"{address_en} One line, at most {TEXT_LIMITS['address']} characters.",
        ),
        "geo": {
            "title": "Coordonnées (Coordinates)",
            "description": _both(
                "Facultatif. {lat, lon} en degrés décimaux, par exemple "
                "{lat: 48.4496, lon: -68.5233}.",
                "Optional. {lat, lon} in decimal degrees.",
            ),
            "type": ["object", "null"],
            "additionalProperties": False,
            "required": ["lat", "lon"],
            "properties": {
                "lat": {
                    "title": "Latitude",
                    "description": _both("Entre -90 et 90", "between -90 and 90"),
                    "type": "number",
                    "minimum": -90,
                    "maximum": 90,
                },
                "lon": {
                    "title": "Longitude",
                    "description": _both("Entre -180 et 180", "between -180 and 180"),
                    "type": "number",
                    "minimum": -180,
                    "maximum": 180,
                },
            },
        },
        "phone": {
            "title": "Téléphone (Phone)",
            "description": _both(
                f"{phone_fr} Un numéro nord-américain, poste facultatif : "
                '"+1 418 555-0142", "418 555-0142, poste 12". Publié comme lien tel:.',
                f"{phone_en} A North American number, optional extension; "
                "published as a tel: link.",
            ),
            "type": ["string", "number", "null"],
            "maxLength": MAX_PHONE,
            "pattern": PHONE,
            "patternErrorMessage": _both(
                'Un numéro nord-américain, par exemple "+1 418 555-0142"',
                "a North American number",
            ),
        },
        "email": {
            "title": "Courriel (E-mail)",
            "description": _both(
                "Facultatif. Une adresse courriel, par exemple info@example.org.",
                "Optional. An e-mail address.",
            ),
            "type": ["string", "null"],
            "pattern": EMAIL,
            "patternErrorMessage": _both(
                "Une adresse courriel, par exemple info@example.org", "an e-mail address"
            ),
        },
        "website": _url("website", "Site web (Website)"),
        "facebook": _url("facebook", "Page Facebook (Facebook page)"),
        "instagram": _url("instagram", "Compte Instagram (Instagram account)"),
        "shop_url": _url(
            "shop_url", "Boutique en ligne (Online shop)", "Où acheter en ligne.", "Where to buy."
        ),
        "hours": _text(
            "hours",
            "Heures d'ouverture (Opening hours)",
            "Facultatif. Syntaxe opening_hours d'OpenStreetMap, par exemple "
            '"Tu-Sa 11:30-14:00,17:00-21:00; Su,Mo off".',
            "Optional. OpenStreetMap opening_hours syntax.",
            number=False,
        ),
        "delivery_area": _key_list(
            reference,
            "towns",
            "data/towns.yml",
            "Zone de livraison (Delivery area)",
            f"Facultatif, seulement avec {DELIVERY} dans how_to_buy. Clés de data/towns.yml, "
            "par exemple [rimouski, mont-joli].",
            f"Optional, only with {DELIVERY} in how_to_buy. Keys of data/towns.yml.",
        ),
        "languages": {
            "title": "Langues (Languages)",
            "description": _both(
                "Facultatif (par défaut : [fr]). Codes ISO 639-1 des langues dans lesquelles "
                "le commerce sert sa clientèle, par exemple [fr, en].",
                "Optional, defaults to [fr]. ISO 639-1 codes of the languages the merchant "
                "serves customers in.",
            ),
            "type": ["array", "string", "null"],
            "items": {"enum": sorted(ISO_639_1)},
            "pattern": f"^(?:{'|'.join(sorted(ISO_639_1))})$",
            "patternErrorMessage": _both(
                "Un code ISO 639-1 de deux lettres, par exemple fr ou en",
                "a two-letter ISO 639-1 code",
            ),
        },
        "wheelchair": {
            "title": "Accès en fauteuil roulant (Wheelchair access)",
            "description": _both(
                "Facultatif. yes (oui), limited (en partie) ou no (non).",
                "Optional. yes, limited or no.",
            ),
            "enum": [*WHEELCHAIR, None],
        },
        "tags": {
            "title": "Mots-clés (Tags)",
            "description": _both(
                f"Facultatif. Au plus {MAX_TAGS} mots courts (au plus {TEXT_LIMITS['tags']} "
                "caractères chacun) ajoutés à la recherche.",
                f"Optional. At most {MAX_TAGS} short words (at most {TEXT_LIMITS['tags']} "
                "characters each), extra search words.",
            ),
            "type": ["array", "string", "number", "null"],
            "maxItems": MAX_TAGS,
            "items": {
                "type": ["string", "number"],
                "minLength": 1,
                "maxLength": TEXT_LIMITS["tags"],
            },
            "maxLength": TEXT_LIMITS["tags"],
        },
        "image": {
            "title": "Photo (Image)",
            "description": _both(
                "Facultatif. Chemin sous content/images/, par exemple "
                "merchants/mon-commerce.jpg ; JPEG, PNG ou WebP.",
                "Optional. Path under content/images/; JPEG, PNG or WebP.",
            ),
            "type": ["string", "null"],
            "maxLength": TEXT_LIMITS["image"],
            "pattern": IMAGE,
            "patternErrorMessage": _both(
                "Un chemin sous content/images/ en .jpg, .jpeg, .png ou .webp, sans espace ni ..",
                "a path under content/images/ ending in .jpg, .jpeg, .png or .webp",
            ),
        },
        "image_alt": _text(
            "image_alt",
            "Description de la photo (Image alt text)",
            "Obligatoire quand image est donnée. Décrit la photo pour qui ne la voit pas ; "
            f"une ligne, au plus {TEXT_LIMITS['image_alt']} caractères.",
            "Required when image is given. Describes the photo for people who cannot see it.",
        ),
        "status": {
            "title": "Statut (Status)",
            "description": _both(
                "Facultatif (par défaut : open). open (ouvert), temporarily_closed (fermé "
                "temporairement) ou closed (fermé).",
                "Optional, defaults to open.",
            ),
            "enum": [*STATUSES, None],
        },
        "source": _text(
            "source",
            "Source",
            "Facultatif. Comment la fiche a été confirmée (une adresse web, "
            "« appel au propriétaire »).",
            'Optional. How the listing was confirmed (a URL, "called the owner").',
        ),
        "en": {
            "title": "Version anglaise (English version)",
            "description": _both(
                "Facultatif. name, summary et description en anglais ; chaque clé est facultative.",
                "Optional. The English name, summary and description; each key is optional.",
            ),
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {
                "name": _text(
                    "en.name",
                    "Nom en anglais (English name)",
                    f"Facultatif. Une ligne, au plus {TEXT_LIMITS['en.name']} caractères.",
                    f"Optional. One line, at most {TEXT_LIMITS['en.name']} characters.",
                ),
                "summary": _text(
                    "en.summary",
                    "Résumé en anglais (English summary)",
                    f"Facultatif. Une ligne, au plus {TEXT_LIMITS['en.summary']} caractères.",
                    f"Optional. One line, at most {TEXT_LIMITS['en.summary']} characters.",
                ),
                "description": _text(
                    "en.description",
                    "Description en anglais (English description)",
                    "Facultatif. Markdown, plusieurs lignes permises (avec |).",
                    "Optional. Markdown, several lines allowed (with |).",
                    one_line=False,
                ),
            },
        },
    }
    missing = set(FIELDS) ^ set(properties)
    missing_en = set(EN_FIELDS) ^ set(properties["en"]["properties"])
    if missing or missing_en:  # a field added to (or removed from) the validator
        raise RuntimeError(f"schema.py does not describe the fields: {missing | missing_en}")
    return properties


def _conditions(properties: dict) -> list[dict]:
    """The rules that tie one field to another, as if/then."""
    not_empty = {"not": {"$ref": "#/$defs/empty"}}
    rules = []
    for field, modes in _modes_by_field().items():
        french, english = _modes_text(modes)
        present = [t for t in properties[field]["type"] if t != "null"]
        rules.append(
            {
                "if": {
                    "required": ["how_to_buy"],
                    "properties": {
                        "how_to_buy": {
                            "type": ["array", "string"],
                            "contains": {"enum": modes},
                            "pattern": f"^(?:{'|'.join(modes)})$",
                        }
                    },
                },
                "then": {
                    "required": [field],
                    "properties": {
                        field: {
                            "type": present,
                            "minLength": 1,
                            "errorMessage": _both(
                                f"Obligatoire quand how_to_buy contient {french}",
                                f"required when how_to_buy has {english}",
                            ),
                        }
                    },
                },
            }
        )
    rules.append(
        {
            "if": {
                "required": ["delivery_area"],
                "properties": {
                    "delivery_area": not_empty,
                    "how_to_buy": {
                        "not": {
                            "type": ["array", "string"],
                            "contains": {"const": DELIVERY},
                            "pattern": f"^{DELIVERY}$",
                        }
                    },
                },
            },
            "then": {
                "properties": {
                    "delivery_area": {
                        "type": "null",
                        "errorMessage": _both(
                            f"Seulement avec {DELIVERY} dans how_to_buy",
                            f"only with {DELIVERY} in how_to_buy",
                        ),
                    }
                }
            },
        }
    )
    rules.append(
        {
            "if": {"required": ["image"], "properties": {"image": not_empty}},
            "then": {
                "required": ["image_alt"],
                "properties": {
                    "image_alt": {
                        "type": ["string", "number"],
                        "minLength": 1,
                        "errorMessage": _both(
                            "Obligatoire quand image est donnée : décrivez la photo",
                            "required when image is given: describe the photo",
                        ),
                    }
                },
            },
        }
    )
    return rules


def merchant_schema(reference: Reference | None = None) -> dict:
    """The JSON Schema (draft 2020-12) of a merchant file's front matter.

    With `reference` (the data files), category, way-to-buy and town keys are enums that
    editors offer; without it, any well-formed key is accepted.
    """
    properties = _properties(reference)
    return {
        "$schema": DRAFT,
        "$comment": "Généré par plugins/buylocal/schema.py, ne pas modifier à la main : "
        "PYTHONPATH=plugins python -m buylocal.schema (generated, do not edit by hand).",
        "title": "Fiche de commerce (Merchant file)",
        "description": _both(
            "L'en-tête YAML d'un fichier content/merchants/<ville>/<commerce>.md. "
            "invoke validate vérifie aussi ce que ce schéma ne peut pas voir (dates futures, "
            "heures, photos, numéros de téléphone).",
            "The YAML front matter of a merchant file. invoke validate also checks what this "
            "schema cannot see (future dates, hours, photos, phone numbers).",
        ),
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED),
        "properties": properties,
        "allOf": _conditions(properties),
        "$defs": {
            "empty": {
                "description": _both(
                    "Valeur vide : le champ compte comme absent",
                    "an empty value: the field counts as absent",
                ),
                "enum": list(MISSING),
            }
        },
    }


def schema_text(schema: dict) -> str:
    """The schema as the published file's text: the same input always gives the same bytes."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schema(path: Path, reference: Reference | None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(merchant_schema(reference)), encoding="utf-8")


def repository_reference(settings_file: Path = ROOT / "pelicanconf.py"):
    """(Reference, problems) of the data files named by a settings file."""
    from .content import read_site_reference
    from .settings import load_config

    return read_site_reference(load_config(settings_file))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m buylocal.schema",
        description="Write the JSON Schema of merchant files from the validator and content/data.",
    )
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--output", default=str(ROOT / SCHEMA_PATH))
    args = parser.parse_args(argv)
    reference, problems = repository_reference(Path(args.settings))
    if problems:  # the schema would offer broken keys: fix the data files first
        print(ContentError(problems).report("fr"), file=sys.stderr)
        return 1
    write_schema(Path(args.output), reference)
    print(f"{args.output} : schéma écrit (schema written).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
