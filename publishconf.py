"""Settings for publishing: pelicanconf.py plus the site's public address.

Set SITEURL in the environment (or in your host's build settings), e.g.
SITEURL=https://user.github.io/achat-local invoke publish
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
BUYLOCAL_REQUIRE_SITEURL = True  # canonical URLs and the sitemap need the real address
