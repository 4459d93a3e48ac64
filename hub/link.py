"""The nbgitpuller link that learners click: it clones the course into their home (or updates it without
overwriting their changes) and opens notebook 00. One home for its shape: the hub prints it, the load driver and
the tests follow it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
COURSE_DIR = "openai-errors-tutorial"  # the folder the course lands in, in each learner's home
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def course_repo() -> str:
    """Where learners pull from: WORKSHOP_REPO (a git URL or a local path), else this clone."""
    return os.environ.get("WORKSHOP_REPO", str(ROOT))


def course_branch() -> str:
    """WORKSHOP_BRANCH, else the branch this clone has checked out (committed work only: nbgitpuller clones), else
    main (a detached checkout has no branch to pull)."""
    if "WORKSHOP_BRANCH" in os.environ:
        return os.environ["WORKSHOP_BRANCH"]
    out = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True, check=False
    )
    branch = out.stdout.strip()
    return branch if branch and branch != "HEAD" else "main"


def pull_params(repo: str | None = None, branch: str | None = None) -> dict[str, str]:
    return {"repo": repo or course_repo(), "branch": branch or course_branch(), "targetpath": COURSE_DIR}


def course_link(hub_url: str, repo: str | None = None, branch: str | None = None) -> str:
    """The link for learners: through the hub (log in, start the server), then nbgitpuller, then notebook 00."""
    params = {**pull_params(repo, branch), "urlpath": f"lab/tree/{COURSE_DIR}/{FIRST_NOTEBOOK}"}
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(params)}"
