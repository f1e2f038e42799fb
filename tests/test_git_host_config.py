"""The git host files (GitHub workflows and forms, GitLab CI, Netlify) say what the README says,
and the command the pull-request workflow runs to validate works on the sample.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_repository

GITHUB = ROOT / ".github"
FORMS = ("ajouter-un-commerce", "corriger-une-fiche", "commerce-ferme")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as True.
    return workflow.get("on", workflow.get(True))


def _runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def _uses(job: dict, action: str) -> dict:
    [step] = [step for step in job["steps"] if step.get("uses", "").startswith(f"{action}@")]
    return step


def _setup_python(job: dict) -> None:
    step = _uses(job, "actions/setup-python")
    assert step["with"]["python-version"] == "3.11"
    assert step["with"]["cache"] == "pip"
    _uses(job, "actions/checkout")
    assert "pip install -r requirements.txt" in _runs(job)


def _pr_workflow() -> dict:
    return _load(GITHUB / "workflows" / "pr.yml")


def _validate_command(job: dict) -> str:
    [command] = [run for run in _runs(job) if "buylocal.annotations" in run]
    return command


def test_the_pull_request_workflow_validates_builds_and_keeps_the_site():
    workflow = _pr_workflow()
    assert "pull_request" in _triggers(workflow)
    [job] = workflow["jobs"].values()
    _setup_python(job)
    runs = _runs(job)
    validate = _validate_command(job)
    assert validate == "PYTHONPATH=plugins python -m buylocal.annotations"
    # Validate first (annotations on the changed lines), then the README's build command.
    assert runs.index(validate) < runs.index("invoke build")
    upload = _uses(job, "actions/upload-artifact")
    assert upload["with"]["path"] == "output"
    steps = job["steps"]
    assert steps.index(upload) > [step.get("run") for step in steps].index("invoke build")


def test_the_deploy_workflow_publishes_main_on_github_pages():
    workflow = _load(GITHUB / "workflows" / "deploy.yml")
    triggers = _triggers(workflow)
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    permissions = workflow["permissions"]
    assert permissions["pages"] == "write"
    assert permissions["id-token"] == "write"
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    _setup_python(build)
    [publish] = [run for run in _runs(build) if run.endswith("invoke publish")]
    # The address configure-pages reports: right for project, user and custom-domain sites.
    assert publish == "SITEURL=${{ steps.pages.outputs.base_url }} invoke publish"
    steps = build["steps"]
    configure = _uses(build, "actions/configure-pages")
    assert configure["id"] == "pages"
    assert steps.index(configure) < next(
        i for i, step in enumerate(steps) if step.get("run", "").endswith("invoke publish")
    )
    assert workflow[True].get("schedule") or workflow.get("on", {}).get("schedule")
    assert _uses(build, "actions/upload-pages-artifact")["with"]["path"] == "output"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    _uses(deploy, "actions/deploy-pages")


def test_gitlab_ci_checks_merge_requests_and_publishes_pages():
    ci = _load(ROOT / ".gitlab-ci.yml")
    assert ci["image"] == "python:3.11-slim"
    assert "pip install -r requirements.txt" in ci["before_script"]

    validate = ci["validate"]
    assert validate["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert validate["script"] == ["invoke validate", "invoke build"]
    assert [path.rstrip("/") for path in validate["artifacts"]["paths"]] == ["output"]

    pages = ci["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["script"] == ["SITEURL=$CI_PAGES_URL invoke publish", "mv output public"]
    assert pages["artifacts"]["paths"] == ["public"]


def test_netlify_builds_with_publishconf():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["command"] == "pip install -r requirements.txt && invoke publish"
    assert config["build"]["publish"] == "output"
    assert config["build"]["environment"] == {"PYTHON_VERSION": "3.11"}
    hosting = (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
    for needed in ("Netlify", "Cloudflare Pages", "PYTHON_VERSION", "SITEURL", "`output`"):
        assert needed in hosting


def test_the_host_commands_are_the_readme_and_tasks_entry_points():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    commands = {"invoke build", "invoke publish", "invoke validate"}
    for command in commands:
        assert f"`{command}`" in readme
        assert f"def {command.split()[1]}(c" in tasks
    assert "pip install -r requirements.txt" in readme
    used = set()
    workflows = [_load(GITHUB / "workflows" / name) for name in ("pr.yml", "deploy.yml")]
    for workflow in workflows:
        for job in workflow["jobs"].values():
            used.update(re.findall(r"invoke \w+", " ".join(_runs(job))))
    ci = _load(ROOT / ".gitlab-ci.yml")
    used.update(
        re.findall(r"invoke \w+", " ".join(ci["validate"]["script"] + ci["pages"]["script"]))
    )
    assert used == commands


@pytest.mark.parametrize("name", FORMS)
def test_issue_forms_are_complete(name):
    form = _load(GITHUB / "ISSUE_TEMPLATE" / f"{name}.yml")
    assert form["name"] and form["description"]
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    ids = [item["id"] for item in fields]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", id_) for id_ in ids)
    labels = [item["attributes"]["label"] for item in fields]
    assert len(labels) == len(set(labels))
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    assert "source" in ids
    if name == "ajouter-un-commerce":
        contract = {"name", "town", "categories", "how_to_buy", "summary", "address", "phone"}
        assert contract | {"website", "hours", "consent"} <= set(ids)
        [consent] = [item for item in fields if item["id"] == "consent"]
        assert all(option["required"] for option in consent["attributes"]["options"])
    else:
        assert "listing" in ids
    if name == "commerce-ferme":
        assert "since" in ids


def test_blank_issues_stay_possible():
    assert _load(GITHUB / "ISSUE_TEMPLATE" / "config.yml") == {"blank_issues_enabled": True}


def test_the_pull_request_template_has_the_checklist():
    template = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 5
    for needed in ("source", "appel au propriétaire", "consent", "invoke validate"):
        assert needed in template


def test_the_pull_request_validation_passes_on_the_sample():
    """The exact command of pr.yml, run from the repository root as the runner does."""
    command = _validate_command(next(iter(_pr_workflow()["jobs"].values())))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [line for line in done.stdout.splitlines() if line.startswith("::error")]


def test_the_validation_command_annotates_a_bad_file(tmp_path):
    """Same command, in a copy of the repository where one merchant has a bad phone number."""
    copy_repository(tmp_path, ROOT / "content")
    merchant = tmp_path / "content" / "merchants" / "rimouski" / "bistro-lardoise.md"
    text = merchant.read_text(encoding="utf-8")
    merchant.write_text(text.replace('phone: "+1 418 555-0142"', 'phone: "123"'), "utf-8")
    command = _validate_command(next(iter(_pr_workflow()["jobs"].values())))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    line = 1 + text.splitlines().index('phone: "+1 418 555-0142"')
    assert done.stdout.splitlines() == [
        f"::error file=content/merchants/rimouski/bistro-lardoise.md,line={line},title=phone::"
        "« 123 » n'est pas un numéro nord-américain valide : écrivez-le comme "
        '"+1 418 555-0142" (poste : "+1 418 555-0142, poste 12")'
    ]
    # The plain report goes to the log too: GitHub shows only 10 annotations a step.
    assert f"bistro-lardoise.md:{line}: phone:" in done.stderr


def test_github_annotations_format_and_escape():
    from buylocal.annotations import github_annotations
    from buylocal.problems import MESSAGES, Problem

    problems = [
        Problem("content/merchants/x/y.md", 3, "phone", "bad_phone", {"value": "123"}),
        Problem("content/merchants/x/y.md", 5, "name", "bad_url", {"value": "50%\nfin"}),
        Problem("content/merchants/a,b/c:d.md", 0, "", "misplaced_file"),
    ]
    annotations = github_annotations(problems)
    assert annotations[0] == (
        "::error file=content/merchants/x/y.md,line=3,title=phone::"
        + MESSAGES["bad_phone"][0].format(value="123")
    )
    assert annotations[1].startswith("::error file=content/merchants/x/y.md,line=5,title=name::")
    assert "« 50%25%0Afin »" in annotations[1]
    assert "\n" not in annotations[1]
    # Properties also escape "," and ":"; a problem without a line or field has neither.
    assert annotations[2].startswith("::error file=content/merchants/a%2Cb/c%3Ad.md::")
    english = github_annotations(problems[:1], lang="en")
    assert english[0].endswith("::" + problems[0].message("en"))


def test_the_contributing_template_is_valid(tmp_path):
    """The template volunteers copy from CONTRIBUTING.md validates, in the sample's tree."""
    from buylocal.content import read_content
    from buylocal.settings import site_config

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    [template] = re.findall(r"```markdown\n(.*?)```", guide, flags=re.S)
    tree = tmp_path / "content"
    shutil.copytree(ROOT / "content", tree)
    (tree / "merchants" / "rimouski" / "mon-commerce.md").write_text(template, "utf-8")
    content, problems = read_content(
        site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20", "BUYLOCAL_WORKERS": 1})
    )
    assert problems == []
    assert "mon-commerce" in {merchant.slug for merchant in content.merchants}
    for link in re.findall(r"\]\(((?!https?:|#)[^)]+)\)", guide):
        assert (ROOT / link).exists(), link


def test_the_pull_request_build_command_builds_the_sample(tmp_path):
    """pr.yml's build step, pointed at a temporary folder so output/ is left alone."""
    [job] = _pr_workflow()["jobs"].values()
    [command] = [run for run in _runs(job) if run.startswith("invoke build")]
    output = tmp_path / "output"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        f"{command} --output {output}",
        shell=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (output / "index.html").is_file()
    assert (output / "rimouski" / "bistro-lardoise" / "index.html").is_file()


def test_gitlab_templates_ask_what_github_forms_ask():
    """GitLab volunteers get the same checklist and the same questions as GitHub's."""
    from buylocal.githost import GITLAB_ISSUE_TEMPLATES, ISSUE_TEMPLATES

    gitlab = ROOT / ".gitlab"
    assert (gitlab / "merge_request_templates" / "Default.md").read_text() == (
        ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md"
    ).read_text()
    for kind, form_name in ISSUE_TEMPLATES.items():
        form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / form_name).read_text())
        template = (gitlab / "issue_templates" / f"{GITLAB_ISSUE_TEMPLATES[kind]}.md").read_text()
        labels = [
            item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"
        ]
        assert labels and all(f"## {label}" in template for label in labels), kind


@pytest.mark.parametrize("workflow", ["pr.yml", "deploy.yml"])
def test_github_builds_keep_the_drawing_cache(workflow):
    """Share cards, QR codes and photo variants are drawn again only when they change."""
    jobs = _load(GITHUB / "workflows" / workflow)["jobs"]
    job = jobs.get("build") or jobs["check"]
    cache = _uses(job, "actions/cache")
    assert cache["with"]["path"] == "cache"
    steps = job["steps"]
    build = next(i for i, s in enumerate(steps) if s.get("run", "").endswith(("build", "publish")))
    assert steps.index(cache) < build


def test_gitlab_keeps_the_drawing_cache():
    assert "cache/" in _load(ROOT / ".gitlab-ci.yml")["cache"]["paths"]
