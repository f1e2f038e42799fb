"""Links into the directory's git host (GitHub or GitLab) for volunteers: prefilled issues
and the web editor, so that fixing a listing needs no install and no git knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

ISSUE_TEMPLATES = {  # GitHub's issue forms (.github/ISSUE_TEMPLATE/) by kind
    "add": "ajouter-un-commerce.yml",
    "fix": "corriger-une-fiche.yml",
    "closed": "commerce-ferme.yml",
}
GITLAB_ISSUE_TEMPLATES = {  # GitLab's (.gitlab/issue_templates/), same content
    "add": "Ajouter-un-commerce",
    "fix": "Corriger-une-fiche",
    "closed": "Commerce-ferme",
}


@dataclass(frozen=True)
class GitHost:
    repository: str  # https://github.com/town/achat-local, without a trailing slash
    branch: str = "main"

    @property
    def is_gitlab(self) -> bool:
        return "gitlab" in self.repository.split("/")[2]

    def edit_url(self, path: str) -> str:
        """The web editor of one file, e.g. content/merchants/rimouski/bistro.md."""
        if self.is_gitlab:
            return f"{self.repository}/-/edit/{self.branch}/{path}"
        return f"{self.repository}/edit/{self.branch}/{path}"

    def new_file_url(self, folder: str) -> str:
        if self.is_gitlab:
            return f"{self.repository}/-/new/{self.branch}/{folder}"
        return f"{self.repository}/new/{self.branch}/{folder}"

    def issue_url(self, kind: str, title: str = "", listing: str = "") -> str:
        """A new issue, prefilled; on GitHub with the matching issue form and its fields."""
        if self.is_gitlab:
            query = {
                "issuable_template": GITLAB_ISSUE_TEMPLATES[kind],
                "issue[title]": title,
                "issue[description]": listing,
            }
            return f"{self.repository}/-/issues/new?" + urlencode(
                {k: v for k, v in query.items() if v}
            )
        query = {"template": ISSUE_TEMPLATES[kind], "title": title, "listing": listing}
        return f"{self.repository}/issues/new?" + urlencode({k: v for k, v in query.items() if v})
