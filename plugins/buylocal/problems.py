"""Problems found in content files, worded for volunteers in French first, English second."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

# One entry per kind of problem: the French text, then the English one. Placeholders are
# filled from Problem.params. Each message says what is wrong and how to fix it.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_utf8": (
        "le fichier n'est pas en UTF-8 (octet illisible à la position {pos}) : "
        "enregistrez-le en UTF-8 dans votre éditeur",
        "the file is not UTF-8 (unreadable byte at position {pos}): save it as UTF-8",
    ),
    "too_large": (
        "le fichier fait {size} octets, la limite est {limit} : raccourcissez-le",
        "the file is {size} bytes, the limit is {limit}: shorten it",
    ),
    "no_front_matter": (
        "le fichier doit commencer par une ligne « --- », suivie des champs, puis une autre "
        "ligne « --- »",
        "the file must start with a '---' line, then the fields, then another '---' line",
    ),
    "unclosed_front_matter": (
        "il manque la ligne « --- » qui ferme les champs (avant la description)",
        "the '---' line that closes the fields (before the description) is missing",
    ),
    "yaml_syntax": (
        "YAML illisible : {detail}{note}",
        "unreadable YAML: {detail}{note}",
    ),
    "yaml_tab": (
        " (une tabulation est utilisée pour l'indentation : utilisez des espaces)",
        " (a tab is used for indentation: use spaces)",
    ),
    "yaml_alias": (
        "les ancres et alias YAML (& et *) ne sont pas acceptés : écrivez la valeur en entier",
        "YAML anchors and aliases (& and *) are not accepted: write the value out in full",
    ),
    "yaml_tag": (
        "l'étiquette YAML « {tag} » n'est pas acceptée : retirez-la",
        "the YAML tag '{tag}' is not accepted: remove it",
    ),
    "yaml_duplicate_key": (
        "ce champ est écrit deux fois (aussi à la ligne {other}) : gardez-en un seul",
        "this field is written twice (also on line {other}): keep only one",
    ),
    "not_mapping": (
        "les champs doivent être une liste « nom: valeur », un par ligne",
        "the fields must be a list of 'name: value' lines",
    ),
    "unknown_field": (
        "champ inconnu{hint}",
        "unknown field{hint}",
    ),
    "missing_field": (
        "champ obligatoire manquant",
        "required field is missing",
    ),
    "required_because": (
        "champ obligatoire parce que how_to_buy contient « {mode} »",
        "required because how_to_buy contains '{mode}'",
    ),
    "only_with": (
        "ce champ n'a de sens qu'avec « {mode} » dans how_to_buy : ajoutez-le ou retirez ce champ",
        "this field only makes sense with '{mode}' in how_to_buy: add it or remove this field",
    ),
    "not_text": (
        "doit être un texte sur une ligne",
        "must be a text on one line",
    ),
    "empty": (
        "ne doit pas être vide",
        "must not be empty",
    ),
    "too_long": (
        "trop long ({length} caractères, maximum {limit}) : raccourcissez",
        "too long ({length} characters, at most {limit}): shorten it",
    ),
    "multiline": (
        "doit tenir sur une seule ligne",
        "must fit on one line",
    ),
    "not_list": (
        "doit être une liste, par exemple [{example}]",
        "must be a list, for example [{example}]",
    ),
    "list_length": (
        "doit contenir de {low} à {high} élément(s), il y en a {count}",
        "must hold {low} to {high} item(s), it has {count}",
    ),
    "duplicate_item": (
        "« {value} » est en double dans la liste",
        "'{value}' appears twice in the list",
    ),
    "unknown_key": (
        "« {value} » n'existe pas dans {where}{hint}",
        "'{value}' does not exist in {where}{hint}",
    ),
    "bad_date": (
        "« {value} » n'est pas une date : écrivez-la AAAA-MM-JJ, par exemple 2020-04-06",
        "'{value}' is not a date: write it YYYY-MM-DD, for example 2020-04-06",
    ),
    "future_date": (
        "la date {value} est dans le futur",
        "the date {value} is in the future",
    ),
    "verified_before_added": (
        "la date de vérification {value} est avant la date d'ajout {added}",
        "the verification date {value} is before the date added {added}",
    ),
    "bad_geo": (
        "doit être {{lat: 48.45, lon: -68.52}} avec une latitude de -90 à 90 et une longitude "
        "de -180 à 180",
        "must be {{lat: 48.45, lon: -68.52}} with a latitude from -90 to 90 and a longitude "
        "from -180 to 180",
    ),
    "bad_phone": (
        "« {value} » n'est pas un numéro nord-américain valide : écrivez-le comme "
        '"+1 418 555-0142"',
        "'{value}' is not a valid North American number: write it like \"+1 418 555-0142\"",
    ),
    "bad_email": (
        "« {value} » n'est pas une adresse courriel valide",
        "'{value}' is not a valid e-mail address",
    ),
    "bad_url": (
        "« {value} » n'est pas une adresse web valide : elle doit commencer par https:// "
        "(ou http://)",
        "'{value}' is not a valid web address: it must start with https:// (or http://)",
    ),
    "bad_hours": (
        "horaire illisible (syntaxe opening_hours d'OpenStreetMap attendue, par exemple "
        '"Mo-Fr 09:00-17:00; Sa 10:00-16:00") : {detail}',
        "unreadable hours (OpenStreetMap opening_hours syntax expected, for example "
        '"Mo-Fr 09:00-17:00; Sa 10:00-16:00"): {detail}',
    ),
    "bad_language": (
        "« {value} » n'est pas un code de langue ISO 639-1 (deux lettres, comme fr ou en)",
        "'{value}' is not an ISO 639-1 language code (two letters, like fr or en)",
    ),
    "bad_choice": (
        "« {value} » n'est pas permis : choisissez parmi {choices}",
        "'{value}' is not allowed: choose from {choices}",
    ),
    "bad_image_path": (
        "« {value} » doit être un chemin sous content/images/, sans « .. », par exemple "
        "merchants/ma-photo.jpg",
        "'{value}' must be a path under content/images/, without '..', for example "
        "merchants/my-photo.jpg",
    ),
    "image_missing": (
        "l'image content/images/{value} est introuvable : ajoutez le fichier ou corrigez le chemin",
        "the image content/images/{value} is not found: add the file or fix the path",
    ),
    "bad_image": (
        "l'image content/images/{value} n'est pas un JPEG, PNG ou WebP lisible ({detail})",
        "the image content/images/{value} is not a readable JPEG, PNG or WebP ({detail})",
    ),
    "bad_slug": (
        "le nom de fichier « {value} » doit être en minuscules sans accents, chiffres et "
        "traits d'union : renommez-le « {suggestion} »",
        "the file name '{value}' must be lowercase letters without accents, digits and "
        "hyphens: rename it '{suggestion}'",
    ),
    "bad_key": (
        "la clé « {value} » doit être en minuscules sans accents, chiffres, traits d'union "
        "ou soulignés : essayez « {suggestion} »",
        "the key '{value}' must be lowercase letters without accents, digits, hyphens or "
        "underscores: try '{suggestion}'",
    ),
    "unknown_town_folder": (
        "le dossier « {value} » n'est pas une ville de data/towns.yml{hint}",
        "the folder '{value}' is not a town of data/towns.yml{hint}",
    ),
    "misplaced_file": (
        "une fiche de commerce doit être dans content/merchants/<ville>/<commerce>.md",
        "a merchant file must be at content/merchants/<town>/<merchant>.md",
    ),
    "reserved_key": (
        "« {value} » est réservé pour une adresse du site ({url}) : choisissez une autre clé",
        "'{value}' is reserved for a site address ({url}): choose another key",
    ),
    "missing_data_file": (
        "fichier de données introuvable : créez-le (voir merchant-format.md)",
        "data file not found: create it (see merchant-format.md)",
    ),
    "not_localized_text": (
        "doit être un texte, ou une liste par langue comme {{fr: …, en: …}}",
        "must be a text, or one per language like {{fr: …, en: …}}",
    ),
    "missing_default_language": (
        "il manque la version « {lang} » (la langue du site)",
        "the '{lang}' version (the site's language) is missing",
    ),
    "symlink": (
        "les liens symboliques ne sont pas acceptés dans content/ : remplacez-le par le fichier",
        "symbolic links are not accepted in content/: replace it with the file",
    ),
}

LANGUAGES = ("fr", "en")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one file, located well enough for a volunteer to fix it."""

    path: str
    line: int
    field: str
    code: str
    params: dict = field(default_factory=dict, compare=False)

    def message(self, lang: str = "fr") -> str:
        fr, en = MESSAGES[self.code]
        template = en if lang == "en" else fr
        params = dict(self.params)
        if "hint" in params:
            params["hint"] = _hint_text(params["hint"], lang)
        if "note" in params:
            params["note"] = MESSAGES[params["note"]][lang == "en"] if params["note"] else ""
        return template.format(**params)

    def format(self, lang: str = "fr") -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = f" {self.field}:" if self.field else ""
        return f"{where}:{label} {self.message(lang)}"


def _hint_text(suggestion: str | None, lang: str) -> str:
    if not suggestion:
        return ""
    return (
        f" (vouliez-vous dire « {suggestion} » ?)"
        if lang != "en"
        else (f" (did you mean '{suggestion}'?)")
    )


def closest(word: str, choices) -> str | None:
    """The valid key a typo most likely meant, if any is close enough."""
    matches = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


class ContentError(Exception):
    """Raised when content has problems; carries all of them so one run reports everything."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.field, p.code))
        super().__init__("\n" + self.report())

    def report(self, lang: str = "fr") -> str:
        lines = [p.format(lang) for p in self.problems]
        files = len({p.path for p in self.problems})
        if lang == "en":
            lines.append(f"{len(self.problems)} problem(s) in {files} file(s); nothing published.")
        else:
            lines.append(
                f"{len(self.problems)} problème(s) dans {files} fichier(s) ; rien n'a été publié."
            )
        return "\n".join(lines)
