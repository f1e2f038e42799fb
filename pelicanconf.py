"""Settings of the sample directory. A town copies this file and changes the values."""

import os

SITENAME = "Achat local"
SITEURL = os.environ.get("SITEURL", "http://localhost:8000")
PATH = "content"
THEME = "theme"
TIMEZONE = "America/Toronto"
DEFAULT_LANG = "fr"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["buylocal"]

# The directory's own settings (see README, "Settings"). Everything town-specific lives here.
BUYLOCAL_REGION = {
    "fr": "Bas-Saint-Laurent, Estrie et Abitibi-Témiscamingue",
    "en": "Bas-Saint-Laurent, Eastern Townships and Abitibi-Témiscamingue",
}
# One text per language of the site (BUYLOCAL_LANGUAGES); a plain text is French.
BUYLOCAL_TAGLINE = {
    "fr": "Le répertoire des commerces locaux : trouvez qui vend près de chez vous, en magasin, "
    "en cueillette ou en livraison.",
    "en": "The local business directory: find who sells near you, in store, for pickup or "
    "with delivery.",
}
BUYLOCAL_ORGANIZATION = "Table de concertation Achat local (exemple)"
BUYLOCAL_CONTACT_EMAIL = "bonjour@example.org"
# The git repository volunteers send changes to; the links to it are hidden when it is unset.
# On GitHub Actions and GitLab CI it is found by itself; write it here to be explicit.
BUYLOCAL_REPOSITORY_URL = (
    (os.environ.get("GITHUB_SERVER_URL", "") + "/" + os.environ["GITHUB_REPOSITORY"])
    if os.environ.get("GITHUB_REPOSITORY")
    else os.environ.get("CI_PROJECT_URL")
)
BUYLOCAL_COLORS = {"primary": "#0b5394", "accent": "#9a3412", "background": "#ffffff"}
BUYLOCAL_PAGE_SIZE = 24

# Merchants and pages are read by the buylocal plugin, not as Pelican articles or pages.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = []
STATIC_PATHS = []  # images are published by the plugin, once validated
DIRECT_TEMPLATES = []
DELETE_OUTPUT_DIRECTORY = False  # tasks.py builds elsewhere, then swaps
CACHE_CONTENT = False
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Pelican's blog outputs, unused by a directory.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
INDEX_SAVE_AS = ""
