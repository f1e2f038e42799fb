"""`invoke import-csv FILE.csv`: a chamber of commerce's spreadsheet to merchant files.

Each row becomes content/merchants/<town>/<slug>.md, rendered like `invoke new-merchant`
does (fields in the contract's order, the schema modeline) and checked with the real
validator before anything is written. Rows that do not validate are listed with their
reasons and written nowhere.

The importer never silently overwrites a hand edit: content/data/import-state.json keeps,
for each file it wrote, the hash of the text it last wrote. A file that no longer matches
that hash (edited by hand) or that the importer never wrote is reported as a conflict and
left as it is. Importing the same spreadsheet twice changes nothing.

Column mapping and usage: docs/import-csv.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .content import display_path, read_site_reference
from .data_files import KeyFinder, fold, split_list
from .fields import SLUG_RE, suggest_slug
from .frontmatter import decode, read_front_matter
from .merchants import FIELDS, ReadContext, read_merchant
from .new_merchant import merchant_text
from .open_data import unguarded
from .problems import Problem, closest
from .settings import SettingsError, SiteConfig, load_config

STATE_FILE = "import-state.json"  # in the content's data folder, committed with the content

# Spreadsheet column -> what it fills. Headers are matched ignoring case, accents, spaces
# and punctuation ("Façons d'acheter" is facons_d_acheter). "town" picks the folder, "slug"
# the file name, "description" the Markdown body; every other value is a front matter field.
COLUMNS = {
    "nom": "name",
    "ville": "town",
    "categories": "categories",
    "facons_d_acheter": "how_to_buy",
    "comment_acheter": "how_to_buy",
    "resume": "summary",
    "adresse": "address",
    "telephone": "phone",
    "courriel": "email",
    "site_web": "website",
    "boutique_en_ligne": "shop_url",
    "facebook": "facebook",
    "instagram": "instagram",
    "heures": "hours",
    "horaire": "hours",
    "zone_de_livraison": "delivery_area",
    "langues": "languages",
    "date_ajout": "added",
    "date_d_ajout": "added",
    "verifie_le": "verified",
    "source": "source",
    "statut": "status",
    "identifiant": "slug",
    "description": "description",
}
# The contract's own names are accepted too (an English spreadsheet, or an export of ours).
ENGLISH_COLUMNS = (
    "name",
    "town",
    "categories",
    "how_to_buy",
    "summary",
    "address",
    "phone",
    "email",
    "website",
    "shop_url",
    "hours",
    "delivery_area",
    "languages",
    "added",
    "verified",
    "status",
    "slug",
)
REQUIRED_COLUMNS = ("name", "town")
LIST_FIELDS = ("categories", "how_to_buy", "delivery_area", "languages")
DATE_FIELDS = ("added", "verified")
# Words a spreadsheet may hold instead of the contract's values.
STATUS_WORDS = {
    "ouvert": "open",
    "ouverte": "open",
    "fermetemporairement": "temporarily_closed",
    "fermeetemporairement": "temporarily_closed",
    "temporairementferme": "temporarily_closed",
    "temporairementfermee": "temporarily_closed",
    "ferme": "closed",
    "fermee": "closed",
    "open": "open",
    "temporarilyclosed": "temporarily_closed",
    "closed": "closed",
}
LANGUAGE_WORDS = {
    "francais": "fr",
    "french": "fr",
    "anglais": "en",
    "english": "en",
    "espagnol": "es",
    "spanish": "es",
    "allemand": "de",
    "italien": "it",
    "portugais": "pt",
    "arabe": "ar",
    "chinois": "zh",
    "vietnamien": "vi",
}
# A one-line field typed on several lines in a cell is joined back into one line.
_JOINERS = {"address": ", ", "hours": "; "}
_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_STATE_ABOUT = (
    "Écrit par invoke import-csv : l'empreinte de chaque fiche telle que l'import l'a écrite. "
    "À garder dans git avec le contenu ; ne pas modifier à la main. / Written by invoke "
    "import-csv: the hash of each file as the import last wrote it. Commit it; do not edit."
)

# The importer's own messages, French first, then English.
TEXTS = {
    "header": (
        "Import de {path} ({encoding}, séparateur « {delimiter} », {rows} ligne(s))",
        "Importing {path} ({encoding}, delimiter '{delimiter}', {rows} row(s))",
    ),
    "dry_run": (
        "Essai à blanc : rien ne sera écrit.",
        "Dry run: nothing will be written.",
    ),
    "ignored": (
        "Colonnes ignorées (inconnues) : {columns}",
        "Ignored columns (unknown): {columns}",
    ),
    "duplicate_column": (
        "« {column} » (en double avec « {first} »)",
        "'{column}' (same as '{first}')",
    ),
    "untitled_column": ("colonne n° {number} sans titre", "untitled column {number}"),
    "created": ("  créé        {path}", "  created     {path}"),
    "recreated": (
        "  recréé      {path} (supprimé depuis le dernier import)",
        "  re-created  {path} (deleted since the last import)",
    ),
    "updated": ("  mis à jour  {path}", "  updated     {path}"),
    "unchanged": ("  inchangé    {path}", "  unchanged   {path}"),
    "conflict_line": ("  CONFLIT     {path}", "  CONFLICT    {path}"),
    "rejected_line": ("  REJETÉE     ligne {row}{name}", "  REJECTED    row {row}{name}"),
    "summary": (
        "Bilan : {created} créée(s), {updated} mise(s) à jour, {unchanged} inchangée(s), "
        "{conflicts} conflit(s), {rejected} ligne(s) rejetée(s).",
        "Summary: {created} created, {updated} updated, {unchanged} unchanged, "
        "{conflicts} conflict(s), {rejected} rejected row(s).",
    ),
    "summary_dry": (
        "Bilan (essai à blanc, rien n'a été écrit) : {created} à créer, {updated} à mettre à "
        "jour, {unchanged} inchangée(s), {conflicts} conflit(s), {rejected} ligne(s) rejetée(s).",
        "Summary (dry run, nothing written): {created} to create, {updated} to update, "
        "{unchanged} unchanged, {conflicts} conflict(s), {rejected} rejected row(s).",
    ),
    "conflicts_title": (
        "Conflits (fichiers laissés tels quels) :",
        "Conflicts (files left as they are):",
    ),
    "rejected_title": (
        "Lignes rejetées (rien n'a été écrit pour elles) :",
        "Rejected rows (nothing was written for them):",
    ),
    "hand_edited": (
        "modifié à la main depuis le dernier import",
        "edited by hand since the last import",
    ),
    "not_imported": (
        "existe déjà et n'a pas été écrit par l'import",
        "already exists and was not written by the import",
    ),
    "symlink_conflict": ("est un lien symbolique", "is a symbolic link"),
    "same_name": (
        "pas créé : la fiche {other} porte déjà ce nom ; pour la tenir à jour depuis le "
        "tableur, écrivez « {slug} » dans la colonne identifiant",
        "not created: {other} already has this name; to keep it up to date from the "
        "spreadsheet, write '{slug}' in the identifiant column",
    ),
    "would_change": ("l'import changerait : {fields}", "the import would change: {fields}"),
    "would_change_layout": (
        "l'import changerait seulement la mise en forme (espaces, commentaires)",
        "the import would only change the layout (spaces, comments)",
    ),
    "unreadable_file": (
        "le fichier actuel n'est pas une fiche lisible",
        "the current file is not a readable merchant file",
    ),
    "conflict": (
        "{path} : {reason} ; {change}. Fichier laissé tel quel.",
        "{path}: {reason}; {change}. File left as it is.",
    ),
    "conflict_short": (
        "{path} : {reason}. Fichier laissé tel quel.",
        "{path}: {reason}. File left as it is.",
    ),
    "rejected_item": ("  - ligne {row}{name} :", "  - row {row}{name}:"),
    "conflict_help": (
        "Pour régler un conflit : reportez la modification dans le tableur, ou supprimez le "
        "fichier pour que l'import le réécrive (voir docs/import-csv.md).",
        "To settle a conflict: bring the change into the spreadsheet, or delete the file so "
        "that the import writes it again (see docs/import-csv.md).",
    ),
    "town_missing": (
        "ville : vide : écrivez la clé ou le nom d'une ville de data/towns.yml ({choices})",
        "town: empty: write the key or the name of a town of data/towns.yml ({choices})",
    ),
    "town_unknown": (
        "ville : « {value} » n'est pas une ville de data/towns.yml{hint} : choisissez parmi "
        "{choices}",
        "town: '{value}' is not a town of data/towns.yml{hint}: choose from {choices}",
    ),
    "bad_id": (
        "identifiant : « {value} » ne convient pas pour une adresse web (seulement des "
        "minuscules sans accents, des chiffres et des traits d'union) : essayez « {suggestion} »",
        "identifiant: '{value}' does not suit a web address (only lowercase letters without "
        "accents, digits and hyphens): try '{suggestion}'",
    ),
    "duplicate_row": (
        "même fiche que la ligne {row} ({path}) : donnez une valeur différente dans la colonne "
        "identifiant à l'une des deux",
        "same file as row {row} ({path}): give one of them a different value in the "
        "identifiant column",
    ),
    "hint": (" (vouliez-vous dire « {value} » ?)", " (did you mean '{value}'?)"),
    "missing_file": ("{path} : fichier introuvable", "{path}: file not found"),
    "spreadsheet_file": (
        "{path} est un classeur (Excel, LibreOffice), pas un CSV : dans le tableur, faites "
        "Fichier → Enregistrer sous… → CSV, puis importez ce fichier",
        "{path} is a workbook (Excel, LibreOffice), not a CSV: in the spreadsheet, use "
        "File → Save as… → CSV, then import that file",
    ),
    "bad_csv": (
        "{path}:{line} : fichier CSV illisible ({detail}) : enregistrez-le de nouveau depuis le "
        "tableur, au format CSV",
        "{path}:{line}: unreadable CSV file ({detail}): save it again from the spreadsheet, as CSV",
    ),
    "empty_csv": (
        "{path} : le fichier est vide : la première ligne doit donner les noms des colonnes",
        "{path}: the file is empty: the first row must name the columns",
    ),
    "missing_columns": (
        "{path} : colonne(s) obligatoire(s) absente(s) : {missing}. Colonnes trouvées : "
        "{found}. Voir docs/import-csv.md.",
        "{path}: required column(s) missing: {missing}. Columns found: {found}. "
        "See docs/import-csv.md.",
    ),
    "bad_data": (
        "Les fichiers de données ont des problèmes : corrigez-les d'abord (invoke validate).",
        "The data files have problems: fix them first (invoke validate).",
    ),
    "bad_state": (
        "{path} est illisible ({detail}) : restaurez-le depuis git (git checkout -- {path}).",
        "{path} is unreadable ({detail}): restore it from git (git checkout -- {path}).",
    ),
}
# The French column name shown for a field when the spreadsheet has no such column.
_COLUMN_OF_FIELD = {}
for _column, _field in COLUMNS.items():
    _COLUMN_OF_FIELD.setdefault(_field, _column)


def _text(lang: str, code: str, **params) -> str:
    return TEXTS[code][lang == "en"].format(**params)


_COLUMN_BY_FOLD = {fold(column): target for column, target in COLUMNS.items()}
for _name in ENGLISH_COLUMNS:
    _COLUMN_BY_FOLD.setdefault(fold(_name), _name)


@dataclass
class Conflict:
    path: Path
    message: str  # one line: the file, why, what the import would change


@dataclass
class Rejected:
    row: int  # the row number the spreadsheet shows (its header is row 1)
    name: str
    reasons: list[str]


@dataclass
class ImportReport:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    fatal: str | None = None  # the whole file could not be imported
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.fatal or self.conflicts or self.rejected else 0


# -- reading the spreadsheet ---------------------------------------------------------------


class CsvError(Exception):
    def __init__(self, line: int, detail: str):
        super().__init__(f"{line}: {detail}")
        self.line, self.detail = line, detail


@dataclass
class Table:
    encoding: str
    delimiter: str
    header: list[str]
    rows: list[list[str]]


def read_table(raw: bytes) -> Table:
    """CSV bytes (UTF-8 with or without BOM, UTF-16, Windows-1252) to rows of cells.

    The delimiter is the one the header row uses most: `,`, `;` or a tab.
    Raises CsvError on a file the csv module cannot read.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = raw[3:].decode("utf-8"), "UTF-8 (BOM)"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = raw.decode("utf-16"), "UTF-16"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:
                text, encoding = raw.decode("latin-1"), "ISO-8859-1"
    text = unicodedata.normalize("NFC", text)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)  # a tie (none at all) keeps ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise CsvError(reader.line_num, str(error)) from None
    header = records[0] if records else []
    return Table(encoding, delimiter, header, records[1:])


def _columns(header: list[str], lang: str) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Column index -> target, target -> header as written, and the ignored columns."""
    targets: dict[int, str] = {}
    written: dict[str, str] = {}
    ignored = []
    for index, title in enumerate(header):
        target = _COLUMN_BY_FOLD.get(fold(title))
        if target is None:
            if title.strip():
                ignored.append(f"« {title.strip()} »" if lang != "en" else f"'{title.strip()}'")
            continue
        if target in written:
            ignored.append(
                _text(lang, "duplicate_column", column=title.strip(), first=written[target])
            )
            continue
        targets[index] = target
        written[target] = title.strip()
    return targets, written, ignored


def _untitled_with_data(table: Table, lang: str) -> list[str]:
    columns = []
    for index, title in enumerate(table.header):
        if not title.strip() and any(index < len(r) and r[index].strip() for r in table.rows):
            columns.append(_text(lang, "untitled_column", number=index + 1))
    return columns


# -- from cells to a merchant file ---------------------------------------------------------


def _day(text: str) -> str:
    """2024-3-5, 2024/03/05 or "2024-03-05 00:00:00" (a spreadsheet's date) as 2024-03-05."""
    match = _DATE_RE.fullmatch(text.strip())
    if not match:
        return text
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def front_matter_fields(cells: dict, finders: dict) -> dict:
    """The front matter of a row (cells by target), in the contract's order."""
    values = {}
    for target, cell in cells.items():
        if target in ("town", "slug", "description"):
            continue
        if target in ("categories", "how_to_buy", "delivery_area"):
            kind = "towns" if target == "delivery_area" else target
            values[target] = finders[kind].keys_of(cell)
        elif target == "languages":
            values[target] = [
                LANGUAGE_WORDS.get(fold(item), item.lower()) for item in split_list(cell)
            ]
        elif target == "status":
            values[target] = STATUS_WORDS.get(fold(cell), cell)
        elif target in DATE_FIELDS:
            values[target] = _day(cell)
        elif "\n" in cell:  # a line break typed in a cell (Alt+Enter)
            lines = [line.strip() for line in _lines(cell).split("\n") if line.strip()]
            values[target] = _JOINERS.get(target, " ").join(lines)
        else:
            values[target] = cell
    return {name: values[name] for name in FIELDS if values.get(name) not in (None, "", [])}


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- state and files -----------------------------------------------------------------------


def fingerprint(raw: bytes) -> str:
    """The hash kept in the state file; Windows line endings (a git setting) do not count."""
    return "sha256:" + hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def read_state(path: Path) -> dict:
    """Relative path -> fingerprint of what the importer last wrote there.

    Raises ValueError when the file is not what the importer writes.
    """
    if not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(str(error)) from None
    files = state.get("files") if isinstance(state, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise ValueError('"files" must map file paths to hashes')
    return dict(files)


def state_text(files: dict) -> str:
    """Deterministic JSON: sorted keys, two-space indent, a final newline."""
    state = {"about": _STATE_ABOUT, "files": dict(sorted(files.items())), "version": 1}
    return json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _write(path: Path, data: bytes) -> None:
    """Write through a hidden temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.import-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _changes(current: bytes, new_text: str, lang: str) -> str:
    """What the import would change in a file, in one short phrase."""
    text, _problems = decode(current, "", len(current) + 1)
    parsed = read_front_matter(text, "")[0] if text is not None else None
    if parsed is None:
        return _text(lang, "unreadable_file")
    new = read_front_matter(new_text, "")[0]
    names = [
        name
        for name in dict.fromkeys([*FIELDS, *parsed.fields, *new.fields])
        if parsed.fields.get(name) != new.fields.get(name)
    ]
    if parsed.body.strip() != new.body.strip():
        names.append("description")
    if not names:
        return _text(lang, "would_change_layout")
    return _text(lang, "would_change", fields=", ".join(names))


def _names_in(folder: Path) -> dict[str, Path]:
    """The merchants' names in a town folder, folded, to the file holding each."""
    names: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        if path.is_symlink() or not path.is_file():
            continue
        text, _ = decode(path.read_bytes(), "", 1 << 30)
        parsed = read_front_matter(text, "")[0] if text is not None else None
        name = parsed.fields.get("name") if parsed else None
        if isinstance(name, str) and fold(name):
            names.setdefault(fold(name), path)
    return names


def _existing_added(path: Path) -> str | None:
    """The `added` date of a file already there: a row without one keeps it (idempotence)."""
    if not path.is_file() or path.is_symlink():
        return None
    text, _ = decode(path.read_bytes(), "", 1 << 30)
    parsed = read_front_matter(text, "")[0] if text is not None else None
    added = parsed.fields.get("added") if parsed else None
    return added if isinstance(added, str) and _DATE_RE.fullmatch(added) else None


# -- the import ----------------------------------------------------------------------------


def import_csv(
    config: SiteConfig,
    csv_path,
    stream=sys.stdout,
    dry_run: bool = False,
    lang: str = "fr",
) -> ImportReport:
    """Create or update content/merchants/<town>/<slug>.md from each row of a CSV file.

    Prints a report (French by default, English with lang="en") and returns it; its
    exit_code is 0 when no row was rejected and no file was in conflict.
    """
    report = ImportReport(dry_run=dry_run)

    def fatal(message: str) -> ImportReport:
        report.fatal = message
        print(message, file=stream)
        return report

    csv_path = Path(csv_path)
    shown = display_path(csv_path)
    if not csv_path.is_file():
        return fatal(_text(lang, "missing_file", path=shown))
    raw = csv_path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx/.ods (zip), .xls (OLE)
        return fatal(_text(lang, "spreadsheet_file", path=shown))
    try:
        table = read_table(raw)
    except CsvError as error:
        return fatal(_text(lang, "bad_csv", path=shown, line=error.line, detail=error.detail))
    except UnicodeDecodeError as error:  # a UTF-16 byte order mark on something else
        return fatal(_text(lang, "bad_csv", path=shown, line=1, detail=error))
    if not any(title.strip() for title in table.header):
        return fatal(_text(lang, "empty_csv", path=shown))
    targets, written, ignored = _columns(table.header, lang)
    missing = [_COLUMN_OF_FIELD[name] for name in REQUIRED_COLUMNS if name not in written]
    if missing:
        found = ", ".join(title.strip() for title in table.header if title.strip())
        return fatal(
            _text(lang, "missing_columns", path=shown, missing=", ".join(missing), found=found)
        )

    root = Path(config.content_path)
    data_dir = root / config.data_dir
    reference, data_problems = read_site_reference(config)
    if data_problems:
        lines = [problem.format(lang) for problem in data_problems]
        return fatal("\n".join([*lines, _text(lang, "bad_data")]))
    state_path = data_dir / STATE_FILE
    try:
        state = read_state(state_path)
    except ValueError as error:
        return fatal(_text(lang, "bad_state", path=display_path(state_path), detail=error))
    new_state = dict(state)
    finders = {
        kind: KeyFinder(getattr(reference, kind)) for kind in ("towns", "categories", "how_to_buy")
    }
    ctx = ReadContext.for_site(config, reference)

    rows = [
        (number, row)
        for number, row in enumerate(table.rows, start=2)
        if any(cell.strip() for cell in row)
    ]
    report.ignored_columns = ignored + _untitled_with_data(table, lang)
    print(
        _text(
            lang,
            "header",
            path=shown,
            encoding=table.encoding,
            delimiter="\\t" if table.delimiter == "\t" else table.delimiter,
            rows=len(rows),
        ),
        file=stream,
    )
    if dry_run:
        print(_text(lang, "dry_run"), file=stream)
    if report.ignored_columns:
        print(_text(lang, "ignored", columns=", ".join(report.ignored_columns)), file=stream)

    claimed: dict[Path, int] = {}  # file -> the row that produced it
    names_by_town: dict[Path, dict] = {}  # town folder -> folded merchant name -> file
    with tempfile.TemporaryDirectory(prefix="import-csv-") as scratch:
        for number, row in rows:
            cells = {
                # Our own export marks a text a spreadsheet would run (open_data._cell).
                target: unguarded(row[index].strip())
                for index, target in targets.items()
                if index < len(row) and row[index].strip()
            }
            outcome = _import_row(number, cells, written, config, ctx, finders, Path(scratch), lang)
            if isinstance(outcome, Rejected):
                _reject(report, outcome, stream, lang)
                continue
            path, text, slug_from_name = outcome
            if path in claimed:
                reason = _text(lang, "duplicate_row", row=claimed[path], path=display_path(path))
                _reject(report, Rejected(number, cells.get("name", ""), [reason]), stream, lang)
                continue
            claimed[path] = number
            names = names_by_town.setdefault(path.parent, _names_in(path.parent))
            other = names.get(fold(cells["name"])) if slug_from_name else None
            if other and other != path and not path.exists():
                # Most likely the same merchant, written by hand under another file name.
                reason = _text(lang, "same_name", other=display_path(other), slug=other.stem)
                _conflict(report, path, reason, None, text, stream, lang)
                continue
            _place(report, path, text, root, state, new_state, dry_run, stream, lang)
            names.setdefault(fold(cells["name"]), path)

    if new_state != state and not dry_run:
        _write(state_path, state_text(new_state).encode("utf-8"))
    _summary(report, stream, lang)
    return report


def _import_row(number, cells, written, config, ctx, finders, scratch, lang):
    """(path, text, whether the file name comes from the name) of a valid row, or why the
    row is rejected.
    """
    name = cells.get("name", "")
    town_cell = cells.get("town", "")
    towns = finders["towns"].keys
    if not town_cell:
        return Rejected(number, name, [_text(lang, "town_missing", choices=", ".join(towns))])
    town = finders["towns"].find(town_cell)
    if town is None:
        suggestion = closest(suggest_slug(town_cell), towns)
        hint = _text(lang, "hint", value=suggestion) if suggestion else ""
        reason = _text(lang, "town_unknown", value=town_cell, hint=hint, choices=", ".join(towns))
        return Rejected(number, name, [reason])
    # Spreadsheets turn ' into ’ as one types: both give the same file name.
    slug = cells.get("slug") or suggest_slug(name.replace("’", "'").replace("‘", "'"))
    if not SLUG_RE.fullmatch(slug):
        reason = _text(lang, "bad_id", value=slug, suggestion=suggest_slug(slug))
        return Rejected(number, name, [reason])
    path = Path(config.content_path) / config.merchants_dir / town / f"{slug}.md"
    values = front_matter_fields(cells, finders)
    if "added" not in values:
        # Without a date, a file already there keeps its own: a second run changes nothing.
        values["added"] = _existing_added(path) or config.today.isoformat()
    text = merchant_text(
        {key: values[key] for key in FIELDS if key in values}, cells.get("description", "")
    )
    # Check exactly what would be written, with the real validator, before writing anything.
    candidate = scratch / f"{number}.md"
    candidate.write_bytes(text.encode("utf-8"))
    display = f"{config.merchants_dir}/{town}/{slug}.md"
    merchant, problems = read_merchant(candidate, display, town, slug, ctx)
    if merchant is None:
        return Rejected(number, name, [_reason(problem, written, lang) for problem in problems])
    return path, text, not cells.get("slug")


def _reason(problem: Problem, written: dict, lang: str) -> str:
    """A validator's problem, named by the spreadsheet's column: "Résumé (summary) : …"."""
    if not problem.field:
        return problem.message(lang)
    field_name = problem.field.split(".")[0]
    column = written.get(field_name) or _COLUMN_OF_FIELD.get(field_name, field_name)
    separator = ": " if lang == "en" else " : "
    return f"{column} ({field_name}){separator}{problem.message(lang)}"


def _place(report, path, text, root, state, new_state, dry_run, stream, lang) -> None:
    """Create, update, leave unchanged, or report a conflict, for one file."""
    data = text.encode("utf-8")
    key = path.relative_to(root).as_posix()
    shown = display_path(path)
    if path.is_symlink():
        _conflict(report, path, _text(lang, "symlink_conflict"), None, text, stream, lang)
        return
    if not path.exists():
        if not dry_run:
            _write(path, data)
        new_state[key] = fingerprint(data)
        report.created.append(path)
        print(_text(lang, "recreated" if key in state else "created", path=shown), file=stream)
        return
    current = path.read_bytes()
    if current.replace(b"\r\n", b"\n") == data:
        new_state[key] = fingerprint(data)  # also adopts a file already as the import writes it
        report.unchanged.append(path)
        print(_text(lang, "unchanged", path=shown), file=stream)
        return
    if state.get(key) == fingerprint(current):
        if not dry_run:
            _write(path, data)
        new_state[key] = fingerprint(data)
        report.updated.append(path)
        print(_text(lang, "updated", path=shown), file=stream)
        return
    reason = _text(lang, "hand_edited" if key in state else "not_imported")
    _conflict(report, path, reason, current, text, stream, lang)


def _conflict(report, path, reason, current, text, stream, lang) -> None:
    if current is None:
        message = _text(lang, "conflict_short", path=display_path(path), reason=reason)
    else:
        change = _changes(current, text, lang)
        message = _text(lang, "conflict", path=display_path(path), reason=reason, change=change)
    report.conflicts.append(Conflict(path, message))
    print(_text(lang, "conflict_line", path=display_path(path)), file=stream)


def _reject(report: ImportReport, rejected: Rejected, stream, lang: str) -> None:
    report.rejected.append(rejected)
    name = f" ({rejected.name})" if rejected.name else ""
    print(_text(lang, "rejected_line", row=rejected.row, name=name), file=stream)


def _summary(report: ImportReport, stream, lang: str) -> None:
    counts = {
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "conflicts": len(report.conflicts),
        "rejected": len(report.rejected),
    }
    print(_text(lang, "summary_dry" if report.dry_run else "summary", **counts), file=stream)
    if report.conflicts:
        print(_text(lang, "conflicts_title"), file=stream)
        for conflict in report.conflicts:
            print(f"  - {conflict.message}", file=stream)
        print(_text(lang, "conflict_help"), file=stream)
    if report.rejected:
        print(_text(lang, "rejected_title"), file=stream)
        for rejected in report.rejected:
            name = f" ({rejected.name})" if rejected.name else ""
            print(_text(lang, "rejected_item", row=rejected.row, name=name), file=stream)
            for reason in rejected.reasons:
                print(f"      {reason}", file=stream)


# -- command line --------------------------------------------------------------------------


def main(argv=None, stream=None) -> int:
    """`python -m buylocal.csv_import FILE.csv [--dry-run]`, run where pelicanconf.py is."""
    stream = stream or sys.stdout
    parser = argparse.ArgumentParser(
        prog="import-csv",
        description="Importe un tableur CSV de commerces / Import a CSV spreadsheet of merchants",
    )
    parser.add_argument("file", help="fichier CSV / CSV file")
    parser.add_argument(
        "--dry-run",
        "--essai",
        action="store_true",
        help="montrer sans rien écrire / show without writing anything",
    )
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.settings)
    except SettingsError as error:
        print(f"{args.settings}: {error}", file=stream)
        return 1
    report = import_csv(config, args.file, stream=stream, dry_run=args.dry_run, lang=args.lang)
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
