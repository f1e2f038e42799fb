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
    "unreadable_file": (
        "le fichier ne peut pas être lu ({detail}) : vérifiez qu'il existe toujours et "
        "relancez la construction",
        "the file cannot be read ({detail}): check that it still exists and build again",
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
        "YAML illisible{note} (détail technique : {detail})",
        "unreadable YAML{note} (technical detail: {detail})",
    ),
    "yaml_tab": (
        " : une tabulation est utilisée pour l'indentation : utilisez des espaces",
        ": a tab is used for indentation: use spaces",
    ),
    "yaml_colon": (
        " : une valeur contient « : » : mettez-la entre guillemets, par exemple "
        'summary: "Ouvert : du lundi au vendredi"',
        ": a value contains ': ': put it in quotes, for example "
        'summary: "Open: Monday to Friday"',
    ),
    "yaml_quote": (
        " : un guillemet ou un crochet ouvert ici n'est jamais fermé",
        ": a quote or bracket opened here is never closed",
    ),
    "yaml_missing_colon": (
        " : il manque « : » entre le nom du champ et sa valeur",
        ": the ':' between the field name and its value is missing",
    ),
    "yaml_indentation": (
        " : l'indentation ne correspond pas aux lignes voisines : alignez-la avec des espaces",
        ": the indentation does not match the lines around it: align it with spaces",
    ),
    "yaml_too_deep": (
        "trop d'imbrications : aucun champ n'en demande autant, simplifiez la valeur",
        "nested too deeply: no field needs that much, simplify the value",
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
        "ici, il faut des lignes « nom: valeur », une par champ",
        "'name: value' lines are expected here, one per field",
    ),
    "unknown_initiative_field": (
        "champ inconnu{hint} : les champs permis sont dans docs/initiative.md",
        "unknown field{hint}: the allowed fields are in docs/initiative.md",
    ),
    "unknown_field": (
        "champ inconnu{hint} : les champs permis sont dans docs/merchant-format.md",
        "unknown field{hint}: the allowed fields are in docs/merchant-format.md",
    ),
    "missing_field": (
        "champ obligatoire manquant : ajoutez une ligne « {field}: … »",
        "required field is missing: add a '{field}: …' line",
    ),
    "required_because": (
        "champ obligatoire parce que how_to_buy contient « {mode} » : ajoutez une ligne « {field}: … » ou retirez « {mode} »",
        "required because how_to_buy contains '{mode}': add a '{field}: …' line or remove '{mode}'",
    ),
    "only_with": (
        "ce champ n'a de sens qu'avec « {mode} » dans how_to_buy : ajoutez-le ou retirez ce champ",
        "this field only makes sense with '{mode}' in how_to_buy: add it or remove this field",
    ),
    "not_text": (
        "doit être un texte : écrivez-le directement après « {field}: »",
        "must be a text: write it right after '{field}: '",
    ),
    "empty": (
        "ne doit pas être vide : écrivez la valeur ou retirez la ligne",
        "must not be empty: write the value or remove the line",
    ),
    "too_long": (
        "trop long ({length} caractères, maximum {limit}) : raccourcissez",
        "too long ({length} characters, at most {limit}): shorten it",
    ),
    "multiline": (
        "doit tenir sur une seule ligne : raccourcissez, le détail va dans la description",
        "must fit on one line: shorten it, details go in the description",
    ),
    "not_list": (
        "doit être une liste, par exemple [{example}]",
        "must be a list, for example [{example}]",
    ),
    "list_length": (
        "doit contenir {range} élément(s), il y en a {count} : gardez les plus importants",
        "must hold {range} item(s), it has {count}: keep the most important",
    ),
    "duplicate_item": (
        "« {value} » est en double dans la liste : retirez le doublon",
        "'{value}' appears twice in the list: remove the duplicate",
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
        "la date {value} est dans le futur : écrivez la date d'aujourd'hui ou une date passée",
        "the date {value} is in the future: write today's date or a past one",
    ),
    "verified_before_added": (
        "la date de vérification {value} est avant la date d'ajout {added} : corrigez l'une des deux",
        "the verification date {value} is before the date added {added}: fix one of them",
    ),
    "bad_geo": (
        "doit être {{lat: 48.45, lon: -68.52}} avec des nombres à point décimal (pas de virgule), une latitude de -90 à 90 et une longitude de -180 à 180",
        "must be {{lat: 48.45, lon: -68.52}} with numbers using a decimal point (not a comma), a latitude from -90 to 90 and a longitude from -180 to 180",
    ),
    "bad_phone": (
        '« {value} » n\'est pas un numéro nord-américain valide : écrivez-le comme "+1 418 555-0142" (poste : "+1 418 555-0142, poste 12")',
        '\'{value}\' is not a valid North American number: write it like "+1 418 555-0142" (extension: "+1 418 555-0142 ext. 12")',
    ),
    "bad_email": (
        "« {value} » n'est pas une adresse courriel valide : écrivez-la comme info@exemple.ca",
        "'{value}' is not a valid e-mail address: write it like info@example.ca",
    ),
    "bad_url": (
        "« {value} » n'est pas une adresse web valide : copiez-la depuis le navigateur, elle commence par https:// (ou http://)",
        "'{value}' is not a valid web address: copy it from the browser, it starts with https:// (or http://)",
    ),
    "bad_hours": (
        'horaire illisible près du caractère {column} : utilisez la syntaxe opening_hours d\'OpenStreetMap, par exemple "Mo-Fr 09:00-17:00; Sa 10:00-16:00; Su off"',
        'unreadable hours near character {column}: use OpenStreetMap\'s opening_hours syntax, for example "Mo-Fr 09:00-17:00; Sa 10:00-16:00; Su off"',
    ),
    "bad_language": (
        "« {value} » n'est pas un code de langue ISO 639-1 (deux lettres, comme fr ou en)",
        "'{value}' is not an ISO 639-1 language code (two letters, like fr or en)",
    ),
    "bad_choice": (
        "« {value} » n'est pas permis{hint} : choisissez parmi {choices}",
        "'{value}' is not allowed{hint}: choose from {choices}",
    ),
    "bad_image_path": (
        "« {value} » doit être un chemin sous content/images/ fait de lettres sans accents, chiffres, « - », « _ » et « . », sans « .. », par exemple merchants/ma-photo.jpg",
        "'{value}' must be a path under content/images/ made of letters without accents, digits, '-', '_' and '.', without '..', for example merchants/my-photo.jpg",
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
        "le nom de fichier « {value} » ne convient pas pour une adresse web (seulement des minuscules sans accents, des chiffres et des traits d'union) : renommez-le « {suggestion} »",
        "the file name '{value}' does not suit a web address (only lowercase letters without accents, digits and hyphens): rename it '{suggestion}'",
    ),
    "reserved_slug": (
        "le nom de fichier « {value} » est réservé pour une page de la ville ({url}) : renommez-le « {suggestion} »",
        "the file name '{value}' is reserved for a page of the town ({url}): rename it '{suggestion}'",
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
        "une fiche de commerce doit être un fichier .md dans content/merchants/<ville>/, par exemple content/merchants/rimouski/mon-commerce.md : déplacez ou renommez ce fichier",
        "a merchant file must be a .md file in content/merchants/<town>/, for example content/merchants/rimouski/my-shop.md: move or rename this file",
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
        "doit être un texte, ou un texte par langue comme {{fr: …, en: …}}",
        "must be a text, or one text per language like {{fr: …, en: …}}",
    ),
    "missing_default_language": (
        "il manque la version « {lang} » (la langue du site)",
        "the '{lang}' version (the site's language) is missing",
    ),
    "symlink": (
        "les liens symboliques ne sont pas acceptés dans content/ : remplacez-le par le fichier",
        "symbolic links are not accepted in content/: replace it with the file",
    ),
    "empty_item": (
        "un élément de la liste est vide : retirez-le",
        "an item of the list is empty: remove it",
    ),
    "misplaced_page": (
        "une page doit être un fichier .md directement dans content/pages/ : déplacez ou renommez ce fichier",
        "a page must be a .md file right in content/pages/: move or rename this file",
    ),
    "empty_data_file": (
        "ce fichier de données ne contient aucune entrée : ajoutez-en au moins une (voir docs/merchant-format.md)",
        "this data file has no entry: add at least one (see docs/merchant-format.md)",
    ),
    "bad_number": (
        "« {value} » doit être un nombre entier, par exemple 1",
        "'{value}' must be a whole number, for example 1",
    ),
    "missing_image_file": (
        "{setting} : l'image content/images/{value} est introuvable",
        "{setting}: the image content/images/{value} is not found",
    ),
    "too_many_brackets": (
        "la description contient {count} crochets « [ », au plus {limit} : un lien s'écrit "
        "[texte](https://…) ; retirez les crochets qui ne servent pas à un lien",
        "the description holds {count} '[' brackets, at most {limit}: a link is written "
        "[text](https://…); remove the brackets that are not part of a link",
    ),
    "description_too_deep": (
        "la description imbrique trop de listes ou de citations : simplifiez-la",
        "the description nests too many lists or quotes: simplify it",
    ),
    "no_merchants": (
        "aucune fiche de commerce : ajoutez des fichiers content/merchants/<ville>/<commerce>.md (voir docs/merchant-format.md)",
        "no merchant file: add content/merchants/<town>/<merchant>.md files (see docs/merchant-format.md)",
    ),
    "image_too_large": (
        "l'image content/images/{value} est trop grande ({size}, maximum {limit}) : réduisez-la, par exemple à 2000 pixels de large",
        "the image content/images/{value} is too large ({size}, at most {limit}): shrink it, for example to 2000 pixels wide",
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
        params = {"field": self.field, "hint": None, **self.params}
        if "low" in params:
            params["range"] = _range_text(params["low"], params.get("high"), lang)
        params["hint"] = _hint_text(params["hint"], lang)
        if "note" in params:
            params["note"] = MESSAGES[params["note"]][lang == "en"] if params["note"] else ""
        return template.format(**params)

    def format(self, lang: str = "fr") -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = f" {self.field}:" if self.field else ""
        return f"{where}:{label} {self.message(lang)}"


def _range_text(low: int, high: int | None, lang: str) -> str:
    if lang == "en":
        return f"from {low} to {high}" if high else f"at least {low}"
    return f"de {low} à {high}" if high else f"au moins {low}"


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

    def __reduce__(self):  # from a worker or background process (parallel.py), whole
        return (type(self), (self.problems,), self.__dict__)

    def report(self, lang: str = "fr", building: bool = True) -> str:
        lines = [p.format(lang) for p in self.problems]
        files = len({p.path for p in self.problems})
        count = len(self.problems)
        if lang == "en":
            end = "; nothing published." if building else "."
            lines.append(f"{count} problem(s) in {files} file(s){end}")
        else:
            end = " ; rien n'a été publié." if building else "."
            lines.append(f"{count} problème(s) dans {files} fichier(s){end}")
        return "\n".join(lines)
