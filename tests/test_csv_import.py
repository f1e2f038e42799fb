"""`invoke import-csv`: a chamber of commerce's spreadsheet to merchant files, safely."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from buylocal.content import read_content
from buylocal.csv_import import STATE_FILE, import_csv, main, read_table
from buylocal.settings import site_config
from conftest import FIXTURES, ROOT, TODAY, build

CSV = FIXTURES / "csv"


def config_for(content: Path):
    return site_config({"PATH": str(content), "BUYLOCAL_TODAY": TODAY})


@pytest.fixture
def small(tmp_path) -> Path:
    """A copy of the small fixture tree (towns rimouski and magog)."""
    return Path(shutil.copytree(FIXTURES / "small", tmp_path / "content"))


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the repository's sample content (ten towns)."""
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def run(content: Path, name: str, dry_run=False, source: Path = CSV):
    stream = io.StringIO()
    report = import_csv(config_for(content), source / name, stream=stream, dry_run=dry_run)
    return report, stream.getvalue()


def snapshot(content: Path) -> dict:
    return {
        path.relative_to(content).as_posix(): path.read_bytes()
        for path in sorted(content.rglob("*"))
        if path.is_file()
    }


def test_import_creates_files_that_validate_and_are_read(small):
    report, printed = run(small, "basic.csv")
    assert report.exit_code == 0, printed
    created = sorted(p.relative_to(small).as_posix() for p in report.created)
    assert created == [
        "merchants/magog/cafe-du-lac.md",
        "merchants/rimouski/boulangerie-du-havre.md",
    ]
    assert report.ignored_columns == ["« Notes internes »"]
    assert printed.count("Notes internes") == 1
    assert "Bilan : 2 créée(s), 0 mise(s) à jour, 0 inchangée(s), 0 conflit(s)" in printed

    text = (small / "merchants" / "rimouski" / "boulangerie-du-havre.md").read_text()
    assert text.startswith("---\n# yaml-language-server: $schema=../../../schema/")
    assert "how_to_buy: [in_store, pickup]\n" in text
    assert "added: 2025-06-01\n" in text
    assert text.endswith("---\nUne **boulangerie** de quartier.\n")
    # Fields in the contract's order.
    keys = [line.split(":")[0] for line in text.split("---\n")[1].splitlines()[1:]]
    assert keys == [
        "name",
        "categories",
        "how_to_buy",
        "summary",
        "added",
        "address",
        "phone",
        "website",
        "hours",
    ]

    content, problems = read_content(config_for(small))
    assert problems == []
    found = {(m.town, m.slug): m for m in content.merchants}
    assert found["rimouski", "boulangerie-du-havre"].phone.e164 == "+14185550150"
    assert found["magog", "cafe-du-lac"].summary.startswith("Café de spécialité")

    state = json.loads((small / "data" / STATE_FILE).read_text())
    assert sorted(state["files"]) == created
    assert (small / "data" / STATE_FILE).read_text() == json.dumps(
        state, ensure_ascii=False, indent=2, sort_keys=True
    ) + "\n"


def test_the_state_file_does_not_disturb_the_build(small, tmp_path):
    run(small, "basic.csv")
    assert (small / "data" / STATE_FILE).is_file()
    code, printed = build(small, tmp_path / "output")
    assert code == 0, printed
    assert (tmp_path / "output" / "rimouski" / "boulangerie-du-havre" / "index.html").is_file()
    assert not list((tmp_path / "output").rglob(STATE_FILE))


def test_importing_twice_changes_nothing(small):
    first, _ = run(small, "basic.csv")
    before = snapshot(small)
    second, printed = run(small, "basic.csv")
    assert second.exit_code == 0
    assert (len(second.created), len(second.updated), len(second.unchanged)) == (0, 0, 2)
    assert printed.count("inchangé ") == 2
    assert snapshot(small) == before


def test_a_row_without_a_date_keeps_its_date_on_a_later_day(small):
    report, _ = run(small, "no-date.csv")
    path = report.created[0]
    assert f"added: {TODAY}\n" in path.read_text()
    before = path.read_bytes()
    later = site_config({"PATH": str(small), "BUYLOCAL_TODAY": "2026-12-24"})
    again = import_csv(later, CSV / "no-date.csv", stream=io.StringIO())
    assert again.unchanged == [path] and path.read_bytes() == before


def test_a_changed_csv_updates_files_nobody_edited(small):
    run(small, "basic.csv")
    report, printed = run(small, "basic-changed.csv")
    assert report.exit_code == 0, printed
    assert len(report.updated) == 2 and not report.conflicts
    assert "baguettes" in (small / "merchants/rimouski/boulangerie-du-havre.md").read_text()
    state = json.loads((small / "data" / STATE_FILE).read_text())["files"]
    assert all(state[p.relative_to(small).as_posix()].startswith("sha256:") for p in report.updated)
    # And the changed CSV twice is stable too.
    assert len(run(small, "basic-changed.csv")[0].unchanged) == 2


def test_a_hand_edit_is_reported_and_kept_byte_for_byte(small):
    run(small, "basic.csv")
    edited = small / "merchants" / "rimouski" / "boulangerie-du-havre.md"
    hand = edited.read_text().replace(
        "summary: Pain au levain et viennoiseries, cuits chaque matin.",
        "summary: Pain au levain, corrigé à la main par la propriétaire.",
    )
    edited.write_text(hand)
    state_before = (small / "data" / STATE_FILE).read_bytes()

    report, printed = run(small, "basic-changed.csv")
    assert report.exit_code == 1
    assert [c.path for c in report.conflicts] == [edited]
    message = report.conflicts[0].message
    assert "modifié à la main depuis le dernier import" in message
    assert "l'import changerait : summary" in message
    assert "Fichier laissé tel quel" in message
    assert (
        "CONFLIT" in printed
        and "0 créée(s), 1 mise(s) à jour, 0 inchangée(s), 1 conflit(s)" in (printed)
    )
    assert edited.read_text() == hand
    # The other file was updated: only its hash changed in the state.
    state = json.loads((small / "data" / STATE_FILE).read_text())["files"]
    old = json.loads(state_before)["files"]
    assert (
        state["merchants/rimouski/boulangerie-du-havre.md"]
        == old["merchants/rimouski/boulangerie-du-havre.md"]
    )
    assert state["merchants/magog/cafe-du-lac.md"] != old["merchants/magog/cafe-du-lac.md"]
    # Running again still reports the conflict and still keeps the hand edit.
    assert run(small, "basic-changed.csv")[0].conflicts and edited.read_text() == hand


def test_a_deleted_file_is_written_again(small):
    run(small, "basic.csv")
    path = small / "merchants" / "magog" / "cafe-du-lac.md"
    before = path.read_bytes()
    path.unlink()
    report, printed = run(small, "basic.csv")
    assert report.created == [path] and "recréé" in printed
    assert path.read_bytes() == before


def test_files_the_import_never_wrote_are_conflicts(small):
    before = snapshot(small)
    report, printed = run(small, "existing.csv")
    assert report.exit_code == 1
    same_name, by_id = (c.message for c in report.conflicts)
    # No identifiant: a file with the same name exists under another file name.
    assert "merchants/rimouski/bistro-l-ardoise.md : pas créé" in same_name
    assert "bistro-lardoise.md porte déjà ce nom" in same_name
    assert "écrivez « bistro-lardoise » dans la colonne identifiant" in same_name
    # With an identifiant: the file is there, but the import did not write it.
    assert "epicerie-du-quai.md : existe déjà et n'a pas été écrit par l'import" in by_id
    assert "l'import changerait : how_to_buy, summary, phone, status, description" in by_id
    assert "2 conflit(s)" in printed
    assert snapshot(small) == before


def test_windows_1252_with_semicolons(small):
    assert read_table((CSV / "windows-1252.csv").read_bytes()).encoding == "Windows-1252"
    report, printed = run(small, "windows-1252.csv")
    assert report.exit_code == 0, printed
    assert "Windows-1252, séparateur « ; », 2 ligne(s)" in printed  # the empty row is skipped
    text = (small / "merchants" / "rimouski" / "epicerie-cote.md").read_text(encoding="utf-8")
    assert "name: Épicerie Côté\n" in text
    assert "categories: [epiceries]\n" in text
    assert "how_to_buy: [in_store, phone_order]\n" in text
    assert "fromages d'ici — ouvert 7 jours." in text
    assert "\r" not in text
    assert (small / "merchants" / "magog" / "cafe-creme.md").is_file()
    assert read_content(config_for(small))[1] == []


def test_utf8_with_a_byte_order_mark(small):
    report, printed = run(small, "utf8-bom.csv")
    assert report.exit_code == 0, printed
    assert "UTF-8 (BOM), séparateur « , »" in printed
    assert "name: Fromagerie Bérubé\n" in report.created[0].read_text()


def test_rejected_rows_list_their_reasons_and_write_nothing(small):
    before = snapshot(small)
    report, printed = run(small, "rejected.csv")
    assert report.exit_code == 1
    assert [r.row for r in report.rejected] == [2, 3]
    town, others = report.rejected
    assert town.reasons == [
        "ville : « Rimousky » n'est pas une ville de data/towns.yml (vouliez-vous dire "
        "« rimouski » ?) : choisissez parmi rimouski, magog"
    ]
    reasons = "\n".join(others.reasons)
    assert "resume (summary) : champ obligatoire manquant" in reasons
    assert (
        "categories (categories) : « boucheries » n'existe pas dans data/categories.yml" in reasons
    )
    assert "telephone (phone) : « 555-01 » n'est pas un numéro nord-américain valide" in reasons
    assert "Lignes rejetées (rien n'a été écrit pour elles) :" in printed
    assert "  - ligne 3 (Épicerie Sans Résumé) :" in printed
    assert snapshot(small) == before


def test_town_and_categories_by_name_with_accents(sample):
    report, printed = run(sample, "accents.csv")
    assert report.exit_code == 0, printed
    soap = (sample / "merchants" / "lac-megantic" / "savonnerie-megantic.md").read_text()
    assert "categories: [sante-beaute, artisans]\n" in soap
    assert "how_to_buy: [curbside, online_shop]\n" in soap
    assert "languages: [fr, en]\n" in soap
    assert "status: temporarily_closed\n" in soap
    assert "added: 2025-03-04\n" in soap and "verified: 2026-11-01\n" in soap
    grocery = (sample / "merchants" / "val-d-or" / "epicerie-l-or-vert.md").read_text()
    assert "categories: [epiceries]\n" in grocery and "how_to_buy: [in_store]\n" in grocery
    assert read_content(config_for(sample))[1] == []


def test_dry_run_writes_nothing(small):
    before = snapshot(small)
    report, printed = run(small, "basic.csv", dry_run=True)
    assert len(report.created) == 2
    assert "Essai à blanc" in printed and "2 à créer" in printed
    assert snapshot(small) == before


def test_the_sample_csv_imports_with_the_expected_counts(sample):
    report, printed = run(sample, "sample-import.csv", source=ROOT / "docs")
    counts = [len(report.created), len(report.updated), len(report.unchanged)]
    assert counts == [6, 0, 0], printed
    assert not report.conflicts
    assert [(r.row, r.name) for r in report.rejected] == [(8, "Dépanneur Harricana")]
    assert len(report.rejected[0].reasons) == 2
    assert report.ignored_columns == ["« Notes internes »"]
    assert report.exit_code == 1
    content, problems = read_content(config_for(sample))
    assert problems == []
    slugs = {m.slug for m in content.merchants}
    assert {"fromagerie-du-littoral", "atelier-kinojevis", "velo-cantons"} <= slugs

    before = snapshot(sample)
    again, _ = run(sample, "sample-import.csv", source=ROOT / "docs")
    assert [len(again.created), len(again.updated), len(again.unchanged)] == [0, 0, 6]
    assert snapshot(sample) == before


def test_main_reads_the_settings_and_returns_the_exit_code(small, monkeypatch, capsys):
    settings = small.parent / "pelicanconf.py"
    settings.write_text('PATH = "content"\nBUYLOCAL_TODAY = "2026-11-20"\n')
    monkeypatch.chdir(small.parent)
    assert main([str(CSV / "basic.csv")]) == 0
    assert "créé        content/merchants/magog/cafe-du-lac.md" in capsys.readouterr().out
    assert main([str(CSV / "rejected.csv"), "--dry-run"]) == 1
    assert main([str(CSV / "absent.csv")]) == 1
    assert "fichier introuvable" in capsys.readouterr().out
    assert main([str(CSV / "basic.csv"), "--lang", "en", "--dry-run"]) == 0
    assert "Summary (dry run, nothing written): 0 to create, 0 to update, 2 unchanged" in (
        capsys.readouterr().out
    )


def test_a_workbook_instead_of_a_csv_says_how_to_export(tmp_path):
    import io as _io
    import zipfile

    from buylocal.csv_import import import_csv
    from buylocal.settings import site_config

    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    workbook = tmp_path / "membres.xlsx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    out = _io.StringIO()
    report = import_csv(
        site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"}), workbook, stream=out
    )
    assert report.exit_code == 1
    assert "Enregistrer sous… → CSV" in out.getvalue()
    assert "PK" not in out.getvalue()


def test_our_own_export_imports_with_its_values_as_written(small, tmp_path):
    """The open data CSV marks texts a spreadsheet would run ('=...): imported back, the
    mark goes.
    """
    from buylocal import open_data
    from buylocal.frontmatter import read_front_matter

    values = dict.fromkeys((field.name for field in open_data.FIELDS), None)
    values.update(
        key="rimouski/home-deco",
        name="@Home Déco",
        town="rimouski",
        categories=["restaurants"],
        how_to_buy=["in_store"],
        summary="-20 % sur tout le magasin en janvier.",
        address="1, rue Principale, Rimouski",
        added="2025-01-01",
    )
    exported = tmp_path / "merchants.csv"
    exported.write_bytes(open_data.csv_bytes([open_data.row(values)]))
    assert "'@Home Déco" in exported.read_text(encoding="utf-8-sig")
    report, printed = run(small, exported.name, source=tmp_path)
    assert report.exit_code == 0, printed
    written = (small / "merchants" / "rimouski" / "home-deco.md").read_text(encoding="utf-8")
    fields = read_front_matter(written, "home-deco.md")[0].fields
    assert (fields["name"], fields["summary"]) == (
        "@Home Déco",
        "-20 % sur tout le magasin en janvier.",
    )
