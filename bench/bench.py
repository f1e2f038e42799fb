"""Benchmark: time our build and plain Pelican's on N synthetic merchants.

The content is generated from a fixed seed into a work folder (default .bench/), so two runs
with the same --merchants and --seed measure the same site. Each measured build runs in its own
process, so its peak memory is its own. Timings are for people, never test assertions.

    python bench/bench.py --merchants 1000 --runs 3 [--no-pelican] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 1  # bump when the generated content changes, to force a regeneration
TIME = "/usr/bin/time"
# fmt: off
MODES = ["in_store", "pickup", "curbside", "delivery", "shipping", "online_shop",
         "phone_order", "gift_card", "appointment", "market"]
MODE_NAMES = ["En magasin", "Commande à emporter", "Cueillette à l'auto", "Livraison locale",
              "Livraison par la poste", "Boutique en ligne", "Commande par téléphone",
              "Cartes-cadeaux", "Sur rendez-vous", "Kiosque ou marché public"]
# key: (name, schema.org type, nouns for merchant names, what they sell)
CATEGORIES = {
    "restaurants": ("Restaurants", "Restaurant", ["Bistro", "Restaurant", "Casse-croûte"],
                    ["plats du jour", "pâtes fraîches", "poissons du fleuve"]),
    "cafes": ("Cafés", "CafeOrCoffeeShop", ["Café", "Salon de thé"],
              ["cafés torréfiés sur place", "thés en vrac", "pâtisseries maison"]),
    "boulangeries": ("Boulangeries", "Bakery", ["Boulangerie", "Fournil"],
                     ["pains au levain", "croissants", "tartes au sucre"]),
    "epiceries": ("Épiceries", "GroceryStore", ["Épicerie", "Marché", "Comptoir"],
                  ["produits en vrac", "fromages d'ici", "conserves maison"]),
    "producteurs": ("Producteurs", "LocalBusiness", ["Ferme", "Jardins", "Vergers"],
                    ["légumes bio", "petits fruits", "œufs frais"]),
    "microbrasseries": ("Microbrasseries", "Brewery", ["Microbrasserie", "Brasserie"],
                        ["bières en fût", "cidres", "canettes à emporter"]),
    "librairies": ("Librairies", "BookStore", ["Librairie", "Bouquinerie"],
                   ["romans québécois", "livres jeunesse", "bandes dessinées"]),
    "quincailleries": ("Quincailleries", "HardwareStore", ["Quincaillerie", "Matériaux"],
                       ["outils", "peintures écologiques", "articles de jardin"]),
    "vetements": ("Vêtements", "ClothingStore", ["Boutique", "Friperie"],
                  ["vêtements de créateurs d'ici", "manteaux d'hiver", "tricots"]),
    "artisans": ("Artisans", "Store", ["Atelier", "Poterie", "Ébénisterie"],
                 ["céramiques", "meubles en bois massif", "bijoux faits main"]),
    "sante-beaute": ("Santé et beauté", "HealthAndBeautyBusiness", ["Savonnerie", "Salon"],
                     ["savons naturels", "soins du visage", "huiles essentielles"]),
    "sports-plein-air": ("Sports et plein air", "SportingGoodsStore", ["Sports", "Vélos"],
                         ["vélos", "skis de fond", "tentes de camping"]),
    "fleuristes": ("Fleuristes", "Florist", ["Fleuriste", "Serres"],
                   ["bouquets de saison", "plantes d'intérieur", "fleurs séchées"]),
    "animaleries": ("Animaleries", "PetStore", ["Animalerie", "Toilettage"],
                    ["aliments pour animaux", "jouets", "accessoires"]),
    "bijouteries": ("Bijouteries", "JewelryStore", ["Bijouterie", "Joaillerie"],
                    ["bagues", "montres", "bijoux en argent"]),
}
PLACE_STARTS = ["Saint-Adrien", "Sainte-Rose", "Notre-Dame", "Lac", "Mont", "Rivière", "Pointe",
                "Cap", "Val", "Saint-Ulric"]
PLACE_ENDS = ["du-Lac", "des-Monts", "de-la-Baie", "du-Nord", "des-Érables", "aux-Cèdres",
              "du-Fleuve", "des-Pins", "de-l'Anse", "Joli"]
REGIONS = ["Bas-Saint-Laurent", "Estrie", "Abitibi-Témiscamingue", "Gaspésie", "Mauricie",
           "Côte-Nord", "Outaouais", "Chaudière-Appalaches"]
QUALIFIERS = ["du Fleuve", "Chez Gagnon", "La Mie dorée", "des Érables", "Le Phare", "L'Ardoise",
              "Chez Rolande", "du Quai", "Tremblay et fils", "La Source", "Bellevue", "du Village",
              "Côté Jardin", "La Seconde Vie", "Pelletier", "Le Cacaoyer", "Plein Nord", "L'Escale"]
STREETS = ["rue Principale", "rue Saint-Germain Est", "boulevard du Rivage", "rue de l'Église",
           "chemin du Lac", "avenue des Pionniers", "rue Notre-Dame Ouest"]
SENTENCES = [
    "{nom} accueille sa clientèle à {ville} depuis {annee}.",
    "Côté {produit}, tout est choisi avec soin auprès de fournisseurs de la région.",
    "L'équipe connaît chaque client par son prénom et prend le temps de conseiller.",
    "{saison}, l'offre change au rythme des récoltes et des arrivages.",
    "La famille {famille} a repris le commerce et garde l'esprit du lieu.",
    "Les {produit} font la réputation de la maison bien au-delà de {ville}.",
    "Le commerce participe aux marchés et aux fêtes de quartier tout au long de l'année.",
    "Commandez d'avance pour les grandes occasions : les quantités sont limitées.",
    "Une partie des profits soutient les organismes communautaires du coin.",
    "Le local, lumineux et chaleureux, se trouve à deux pas du centre de {ville}.",
    "Demandez conseil : l'équipe aime partager ses trouvailles et ses recettes.",
    "Pendant la fermeture de 2020, {nom} a appris à livrer et à prendre les commandes en ligne.",
    "Les habitués de {ville} y passent le samedi matin, souvent en famille.",
    "Les emballages sont réduits au minimum et les contenants consignés sont bienvenus.",
    "Le stationnement est gratuit derrière le bâtiment, et un support à vélos attend les "
    "cyclistes.",
    "Nouveautés et arrivages sont annoncés chaque semaine sur la page du commerce.",
    "Les {produit} se vendent vite le week-end : mieux vaut passer tôt.",
    "Cartes-cadeaux en vente au comptoir, un bon moyen d'encourager l'équipe.",
    "L'accueil se fait en français, et l'équipe se débrouille très bien en anglais.",
    "Le commerce emploie une dizaine de personnes de {ville} et des environs.",
]
EN_SENTENCES = ["A family business in {ville}.", "Known for its {produit}.",
                "Friendly advice and local products since {annee}."]
FAMILIES = ["Gagnon", "Tremblay", "Côté", "Bouchard", "Pelletier", "Lavoie", "Fortin", "Roy"]
SEASONS = ["En été", "En automne", "En hiver", "Au printemps"]
HOURS = ["Mo-Fr 09:00-17:00; Sa 10:00-16:00", "Tu-Sa 11:30-14:00,17:00-21:00; Su,Mo off",
         "Mo-Su 07:00-19:00", "We-Su 10:00-18:00", "Mo-Fr 08:00-18:00; Sa,Su 09:00-17:00",
         "Th-Sa 16:00-23:00"]
# fmt: on
EXTRA_SENTENCE = "\nUne phrase ajoutée par le banc d'essai.\n"
CHILD_OURS = (  # as `invoke build` does it (tasks.py), the final collection included
    "import gc, sys; sys.path.insert(0, {plugins!r}); from buylocal.build import build_site; "
    "gc.disable(); code = build_site({conf!r}, {out!r}); gc.freeze(); sys.exit(code)"
)
RSS_WRAPPER = (  # used when /usr/bin/time is missing: the child reports its own peak and CPU
    "import atexit, resource, runpy, sys; report = sys.argv.pop(1)\n"
    "def said(): me, kids = (resource.getrusage(w) for w in "
    "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)); open(report, 'w').write("
    "'Maximum resident set size (kbytes): %d\\nUser time (seconds): %.2f\\n"
    "System time (seconds): %.2f\\n' % (max(me.ru_maxrss, kids.ru_maxrss), "
    "me.ru_utime + kids.ru_utime, me.ru_stime + kids.ru_stime))\n"
    "atexit.register(said); flag = sys.argv.pop(1); code = sys.argv.pop(1); sys.argv[0] = code\n"
    "exec(code) if flag == '-c' else runpy.run_module(code, run_name='__main__', alter_sys=True)"
)


def slugify(text: str) -> str:
    """Lowercase ASCII with hyphens, as the contract wants for town keys and file names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), safe for any text."""
    return json.dumps(text, ensure_ascii=False)


def description(rng, words: dict, lo=80, hi=200) -> str:
    """French Markdown of lo..hi words: paragraphs of template sentences, sometimes a list."""
    target, blocks, count = rng.randint(lo, hi - 25), [], 0
    if rng.random() < 0.3:
        blocks.append("**À découvrir :**\n\n" + "\n".join(f"- {p}" for p in words["produits"]))
        count += 2 + sum(len(p.split()) + 1 for p in words["produits"])
    templates = rng.sample(SENTENCES, len(SENTENCES))  # no sentence twice in one description
    while count < target and templates:
        sentences = []
        for template in templates[: rng.randint(2, 4)]:
            product = rng.choice(words["produits"])
            product = f"**{product}**" if rng.random() < 0.1 else product
            sentences.append(template.format(produit=product, **words))
            count += len(sentences[-1].split())
            if count >= target:
                break
        templates = templates[len(sentences) :]
        blocks.append(" ".join(sentences))
    return "\n\n".join(blocks) + "\n"


def generate_site(content: Path, merchants: int, seed: int) -> list[dict]:
    """Write data files, one page and N merchant files; return the merchants for Pelican."""
    rng = random.Random(seed)
    places = [f"{a}-{b}" for a in PLACE_STARTS for b in PLACE_ENDS]
    towns = {}
    for name in rng.sample(places, 50):
        towns[slugify(name)] = {
            "name": name,
            "region": rng.choice(REGIONS),
            "lat": round(rng.uniform(45.1, 49.9), 4),
            "lon": round(rng.uniform(-79.4, -64.3), 4),
        }
    data = content / "data"
    data.mkdir(parents=True)
    (data / "towns.yml").write_text(
        "".join(
            f"{key}:\n  name: {q(t['name'])}\n  region: {q(t['region'])}\n"
            f"  geo: {{lat: {t['lat']}, lon: {t['lon']}}}\n"
            for key, t in towns.items()
        )
    )
    (data / "categories.yml").write_text(
        "".join(
            f"{key}:\n  name: {q(c[0])}\n  schema_type: {c[1]}\n"
            f"  description: {q('Commerces : ' + ', '.join(c[3]) + '.')}\n"
            for key, c in CATEGORIES.items()
        )
    )
    (data / "how-to-buy.yml").write_text(
        "".join(f"{key}:\n  name: {q(name)}\n" for key, name in zip(MODES, MODE_NAMES, strict=True))
    )
    pages = content / "pages"
    pages.mkdir()
    (pages / "a-propos.md").write_text(
        "---\ntitle: À propos\nsummary: Pourquoi ce répertoire existe et qui le tient à jour.\n"
        "---\n## Acheter local\n\nChaque dollar dépensé ici reste dans la région.\n"
    )
    return [write_merchant(content, rng, i, towns) for i in range(merchants)]


def write_merchant(content: Path, rng: random.Random, i: int, towns: dict) -> dict:
    """One merchant file satisfying the contract; returns what Pelican's tree needs.

    Town, first category and first way to buy go round-robin, so every listing page of the
    site gets merchants; optional fields appear at roughly the rates of real listings.
    """
    town_keys, category_keys = list(towns), list(CATEGORIES)
    first_day, days = date(2020, 1, 1), (date(2025, 12, 31) - date(2020, 1, 1)).days
    town = town_keys[i % 50]
    categories = [category_keys[(i // 50) % 15]]
    categories += rng.sample(
        [c for c in category_keys if c != categories[0]], rng.choice([0, 0, 0, 1, 2])
    )
    first_mode = MODES[(i // 50 + i) % 10]
    modes = [first_mode] + rng.sample([m for m in MODES if m != first_mode], rng.randint(0, 3))
    cat = CATEGORIES[categories[0]]
    name = f"{rng.choice(cat[2])} {rng.choice(QUALIFIERS)}"
    slug, n = slugify(name), 2
    while (content / "merchants" / town / f"{slug}.md").exists():
        slug, n = f"{slugify(name)}-{n}", n + 1
    ville = towns[town]["name"]
    added = first_day + timedelta(days=rng.randint(0, days))
    words = {
        "nom": name,
        "ville": ville,
        "annee": added.year,
        "famille": rng.choice(FAMILIES),
        "saison": rng.choice(SEASONS),
        "produits": rng.sample(cat[3], 3),
    }
    summary = f"{name} à {ville} : {', '.join(words['produits'])}."[:160]
    fm = [
        f"name: {q(name)}",
        f"categories: [{', '.join(categories)}]",
        f"how_to_buy: [{', '.join(modes)}]",
        f"summary: {q(summary.strip())}",
    ]
    if {"in_store", "pickup", "curbside"} & set(modes) or rng.random() < 0.5:
        street = f"{rng.randint(1, 999)}, {rng.choice(STREETS)}"
        fm.append(f"address: {q(f'{street}, {ville} (Québec) G5L 1A9')}")
    if rng.random() < 0.6:
        fm.append(
            f"geo: {{lat: {towns[town]['lat'] + rng.uniform(-0.02, 0.02):.4f}, "
            f"lon: {towns[town]['lon'] + rng.uniform(-0.02, 0.02):.4f}}}"
        )
    if "phone_order" in modes or rng.random() < 0.5:
        fm.append(f'phone: "+1 {rng.choice([418, 819, 450])} 555-01{rng.randint(0, 99):02d}"')
    if rng.random() < 0.4:
        fm.append(f"email: bonjour@{slug}.example.org")
    if rng.random() < 0.6:
        fm.append(f"website: https://example.org/{town}/{slug}")
    if rng.random() < 0.3:
        fm.append(f"facebook: https://www.facebook.com/example-{slug}")
    if "online_shop" in modes:
        fm.append(f"shop_url: https://boutique.example.org/{town}/{slug}")
    if rng.random() < 0.3:
        fm.append(f"hours: {q(rng.choice(HOURS))}")
    if "delivery" in modes and rng.random() < 0.7:
        others = rng.sample([k for k in town_keys if k != town], rng.randint(0, 2))
        fm.append(f"delivery_area: [{', '.join([town, *others])}]")
    if rng.random() < 0.4:
        fm.append(f"languages: [{rng.choice(['fr', 'fr, en', 'fr, en, es'])}]")
    if rng.random() < 0.3:
        fm.append(f"wheelchair: {rng.choice(['yes', 'limited', 'no'])}")
    if rng.random() < 0.3:
        fm.append(f"tags: [{', '.join(rng.sample(['bio', 'vrac', 'local', 'famille'], 2))}]")
    status = rng.random()
    if status < 0.04:
        fm.append(f"status: {'closed' if status < 0.02 else 'temporarily_closed'}")
    fm.append(f"added: {added.isoformat()}")
    if rng.random() < 0.5:
        verified = added + timedelta(days=rng.randint(0, (date(2026, 11, 20) - added).days))
        fm.append(f"verified: {verified.isoformat()}")
    if rng.random() < 0.3:
        fm.append(f"source: {q(rng.choice(['appel au propriétaire', 'visite en magasin']))}")
    if rng.random() < 0.2:
        english = " ".join(s.format(produit=words["produits"][0], **words) for s in EN_SENTENCES)
        fm.append(
            f"en:\n  summary: {q(f'Local shop in {ville}.')}\n  description: |\n    {english}"
        )
    body = description(rng, words)
    path = content / "merchants" / town / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(fm) + "\n---\n" + body)
    record = {"town": town, "slug": slug, "name": name, "category": cat[0], "modes": modes}
    return {**record, "added": added.isoformat(), "summary": summary, "body": body}


def generate_pelican(content: Path, merchants: list[dict]) -> None:
    """The same merchants as Pelican articles with Pelican's own metadata header."""
    for m in merchants:
        path = content / m["town"] / f"{m['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Title: {m['name']}\nDate: {m['added']}\nCategory: {m['category']}\n"
            f"Tags: {', '.join(m['modes'] + [m['town']])}\nSlug: {m['slug']}\n"
            f"Summary: {m['summary']}\n\n{m['body']}"
        )


# --lean: what a province-wide directory turns off to fit a host's file limit (README).
LEAN = "BUYLOCAL_MERCHANT_POSTERS = False\nBUYLOCAL_MERCHANT_SHARE_CARDS = False\n"
NO_SEARCH = "BUYLOCAL_SEARCH = False\n"


def write_settings(root: Path, site: Path, content: Path, lean: bool, search: bool) -> None:
    """site/conf.py: root's pelicanconf.py, building `content` with root's theme and plugin."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "conf.py").write_text(
        (root / "pelicanconf.py").read_text() + "\n# Benchmark overrides\n"
        f"PATH = {str(content)!r}\nTHEME = {str(root / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(root / 'plugins')!r}]\nSITEURL = 'https://example.org'\n"
        "BUYLOCAL_TODAY = '2026-11-20'\n" + (LEAN if lean else "") + ("" if search else NO_SEARCH)
    )


def prepare(
    work: Path,
    merchants: int,
    seed: int,
    aside: SetAside,
    lean: bool = False,
    search: bool = True,
    against: Path | None = None,
) -> None:
    """Generate both content trees unless the stamp says they are current; write settings."""
    stamp = work / "stamp.json"
    wanted = {"merchants": merchants, "seed": seed, "version": GENERATOR_VERSION}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        print(f"Generating {merchants} merchants (seed {seed}) in {work}…", file=sys.stderr)
        for folder in ("site", "site-against", "pelican"):
            aside.move(work / folder)
        listed = generate_site(work / "site" / "content", merchants, seed)
        generate_pelican(work / "pelican" / "content", listed)
        stamp.write_text(json.dumps(wanted))
    # The settings are rewritten every time, so they follow edits to pelicanconf.py.
    write_settings(ROOT, work / "site", work / "site" / "content", lean, search)
    if against:
        write_settings(against, work / "site-against", work / "site" / "content", lean, search)
    (work / "pelican" / "conf.py").write_text(
        "SITENAME = 'Achat local (Pelican)'\nSITEURL = ''\nPATH = 'content'\nTHEME = 'simple'\n"
        "TIMEZONE = 'America/Toronto'\nDEFAULT_LANG = 'fr'\nDEFAULT_PAGINATION = 24\n"
        "RELATIVE_URLS = True\nCACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n"
        "FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None\n"
        "PATH_METADATA = r'(?P<town>[^/]+)/.*'  # same URLs as ours: /<town>/<slug>/\n"
        "ARTICLE_URL = '{town}/{slug}/'\nARTICLE_SAVE_AS = '{town}/{slug}/index.html'\n"
        "ARTICLE_TRANSLATION_ID = None  # a slug repeats across towns: not a translation\n"
    )


def run_measured(args: list[str], cwd: Path) -> tuple[dict, subprocess.CompletedProcess]:
    """One `python <args>` process, as its own process: its wall seconds, peak RSS (MB) and
    CPU seconds (user and system, its worker processes included).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        if Path(TIME).exists():
            command = [TIME, "-v", "-o", report.name, sys.executable, *args]
        else:
            command = [sys.executable, "-c", RSS_WRAPPER, report.name, *args]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        said = report.read()

    def number(label):
        found = re.search(rf"{re.escape(label)}: ([\d.]+)", said)
        return float(found.group(1)) if found else float("nan")

    return {
        "wall": elapsed,
        "rss": number("Maximum resident set size (kbytes)") / 1024,
        "user": number("User time (seconds)"),
        "system": number("System time (seconds)"),
    }, done


def measure_sides(sides: list, runs: int, before=None) -> list[dict]:
    """Each (label, args, cwd) `runs` times, taking turns (one run of each, then again), so
    that a busy machine slows every side alike. `before(side index, run)` runs first.
    """
    runs_of = [[] for _ in sides]
    for run in range(runs):
        for index, (label, args, cwd) in enumerate(sides):
            if before:
                before(index, run)
            got, done = run_measured(args, cwd)
            if done.returncode:
                print(f"{label} failed (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
                sys.exit(done.returncode or 1)
            runs_of[index].append(got)
            print(
                f"  {label}: {got['wall']:.2f} s, {got['rss']:.0f} MB, "
                f"CPU {got['user']:.1f} s user + {got['system']:.1f} s system",
                file=sys.stderr,
            )
    return [summary(measured) for measured in runs_of]


def summary(measured: list[dict]) -> dict:
    """Median and range of the wall time, median CPU seconds, highest peak memory."""
    walls = [m["wall"] for m in measured]
    return {
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "rss": max(m["rss"] for m in measured),
        "user": statistics.median(m["user"] for m in measured),
        "system": statistics.median(m["system"] for m in measured),
    }


def tree_size(folder: Path) -> tuple[float, int]:
    """Output size in MB and file count: what a host would store and serve."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


def bench(
    work: Path, runs: int, with_pelican: bool, aside: SetAside, against: Path | None = None
) -> dict:
    """Our cold, no-change and one-change builds; plain Pelican's cold build takes turns with
    our cold one, so that both meet the same machine. With `against` (another checkout of
    the project), its builds of the same content take turns with ours too, each with its own
    output and cache/.
    """
    sites = [work / "site"] + ([work / "site-against"] if against else [])
    roots = [ROOT] + ([against] if against else [])
    names = ["ours"] + ([f"against {against.name}"] if against else [])
    pelican_out = work / "pelican" / "out"
    results = {}

    def sides(phase):
        out = "output"
        ours = [
            (
                f"{name}, {phase}",
                ["-c", CHILD_OURS.format(plugins=str(root / "plugins"), conf="conf.py", out=out)],
                site,
            )
            for name, root, site in zip(names, roots, sites, strict=True)
        ]
        if phase != "cold" or not with_pelican:
            return ours
        args = ["-m", "pelican", "content", "-o", "out", "-s", "conf.py"]
        return [*ours, ("Pelican, cold", args, work / "pelican")]

    def cold(index, _run):
        # The caches go too: a cold build is a fresh clone's first build.
        if index == len(sites):
            aside.move(pelican_out)
        for folder in ("output", "cache") if index < len(sites) else ():
            aside.move(sites[index] / folder)

    changed = sorted((work / "site" / "content" / "merchants").rglob("*.md"))[0]
    original = changed.read_bytes()

    def change(index, run):  # another sentence each run, so that every run has a change
        if index == 0:  # the other side then builds the same change
            changed.write_text(original.decode() + EXTRA_SENTENCE.replace(".", f" {run}."))

    phases = [("cold", "cold", cold), ("same", "no change", None)]
    try:
        for key, phase, before in [*phases, ("one", "one change", change)]:
            found = measure_sides(sides(phase), runs, before)
            if len(found) > len(names):
                results["pelican"] = found.pop()
                results["pelican_size"] = tree_size(pelican_out)
            for name, measured in zip(names, found, strict=True):
                results.setdefault(name, {})[key] = measured
    finally:
        changed.write_bytes(original)
    for name, site in zip(names, sites, strict=True):
        results[name]["size"] = tree_size(site / "output")
    return results


class SetAside:
    """Where the previous builds' folders go before a cold build, to be deleted once all is
    timed. Deleted just before, they would slow the build down: on ext4 without a journal
    (this machine's disk), a new file skips every inode deleted in the last 60 to 360 s
    (fs/ext4/ialloc.c, recently_deleted): 30,000 folders and 30,000 files made a minute after
    as many were deleted took 13 s, against 1.2 to 1.8 s five minutes after.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def move(self, path: Path) -> None:
        if not path.exists():
            return
        self.folder.mkdir(exist_ok=True)
        while (target := self.folder / f"{self.count}-{path.name}").exists():
            self.count += 1
        path.rename(target)

    def remove(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
            print(
                f"  removed {self.folder}: on ext4 without a journal, wait 6 minutes before "
                "timing builds again (bench/README.md)",
                file=sys.stderr,
            )


def table(merchants: int, r: dict) -> str:
    """The Markdown table of results, plus the machine it ran on."""

    def cell(m):
        return f"{m['median']:.2f} ({m['min']:.2f}–{m['max']:.2f})"

    def cpu(m):
        return f"{m['user'] + m['system']:.1f} ({m['user']:.1f} + {m['system']:.1f})"

    lines = [
        "| build | merchants | cold s, median (min–max) | cold CPU s (user + system) "
        "| no-change rebuild s | one-change rebuild s | peak RSS MB | output MB | files |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in r.items():
        if name in ("pelican", "pelican_size"):
            continue
        lines.append(
            f"| {name} | {merchants} | {cell(m['cold'])} | {cpu(m['cold'])} | {cell(m['same'])} "
            f"| {cell(m['one'])} | {m['cold']['rss']:.0f} | {m['size'][0]:.1f} "
            f"| {m['size'][1]} |"
        )
    if "pelican" in r:
        p = r["pelican"]
        lines.append(
            f"| plain Pelican | {merchants} | {cell(p)} | {cpu(p)} | – | – | {p['rss']:.0f} "
            f"| {r['pelican_size'][0]:.1f} | {r['pelican_size'][1]} |"
        )
        ours = r["ours"]["cold"]
        lines.append(f"\npelican_cold / our_cold = {p['median'] / ours['median']:.2f}")
        lines.append(
            f"pelican_cold_cpu / our_cold_cpu = "
            f"{(p['user'] + p['system']) / (ours['user'] + ours['system']):.2f} "
            f"(user only: {p['user'] / ours['user']:.2f})"
        )
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines.append(
        f"\nMachine: nproc {cpus}, Python {platform.python_version()}, "
        f"Pelican {version('pelican')}, {platform.platform()}"
    )
    return "\n".join(lines) + "\n"


def profile(work: Path, aside: SetAside, rebuild: bool = False) -> None:
    """One build of ours (cold, or on top of the last one) in this process under cProfile:
    where the time goes.
    """
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT / "plugins"))
    from buylocal.build import build_site

    os.chdir(work / "site")
    if not rebuild:
        aside.move(Path("output").resolve())
        aside.move(Path("cache").resolve())
    profiler = cProfile.Profile()
    code = profiler.runcall(build_site, "conf.py", "output")
    if code:
        sys.exit(code)
    profiler.dump_stats(work / "profile.pstats")  # for pstats: any function, any order
    for order in ("cumulative", "tottime"):
        print(f"\n## Top 25 by {order}\n")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(25)


def main() -> None:
    """Parse options, generate the content if needed, then benchmark or profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=1000, help="synthetic merchants")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement")
    parser.add_argument("--seed", type=int, default=2020, help="seed of the generated content")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench", help="work folder")
    parser.add_argument("--no-pelican", action="store_true", help="skip plain Pelican")
    parser.add_argument("--profile", action="store_true", help="profile one cold build only")
    parser.add_argument(
        "--rebuild", action="store_true", help="with --profile: a build on top of the last one"
    )
    parser.add_argument(
        "--lean", action="store_true", help="no poster or share card per merchant (README)"
    )
    parser.add_argument("--no-search", action="store_true", help="BUYLOCAL_SEARCH = False")
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout of the project (main, say): its builds take turns with ours",
    )
    options = parser.parse_args()
    work = options.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    against = options.against.resolve() if options.against else None
    # What this run deletes waits until it is done (SetAside), generated content included.
    aside = SetAside(work / "set-aside")
    try:
        prepare(
            work,
            options.merchants,
            options.seed,
            aside,
            options.lean,
            not options.no_search,
            against,
        )
        if options.profile:
            profile(work, aside, options.rebuild)
            return
        results = bench(work, max(1, options.runs), not options.no_pelican, aside, against)
    finally:
        aside.remove()
    text = table(options.merchants, results)
    suffix = ("-lean" if options.lean else "") + ("-no-search" if options.no_search else "")
    (work / f"results-{options.merchants}{suffix}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
