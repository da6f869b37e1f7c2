"""Links from the book's prose to files of its repository, and to Colab for notebooks.

Two roles, both resolved against the repository of ``book/_config.yml``
(``repository.url`` and ``branch``; the pages workflow's ``BOOK_REPOSITORY_URL``
replaces the URL, see ``tools/build_book.py``), so that a fork's site links to the
fork::

    {colab}`ex01 <exercises/es/ex01_cosine_similarity.ipynb>`   open the notebook in
    Colab {repo}`exercises/README.md`                                 the file on GitHub

The path is relative to the repository root. The Colab address is the one the theme's
launch button uses for the book's own pages:
``<colab_url>/github/<owner>/<name>/blob/<branch>/<path>``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import ReferenceRole

__all__ = ["setup", "repository_link", "colab_link"]

COLAB = "https://colab.research.google.com"


def _repository(config) -> tuple[str, str]:
    options = config.html_theme_options or {}
    url = str(options.get("repository_url", "")).rstrip("/")
    if not url.startswith("https://github.com/"):
        raise ValueError("repository.url in book/_config.yml must be a GitHub address, "
                         f"got {url!r}")
    return url, options.get("repository_branch") or "main"


def repository_link(config, path: str) -> str:
    """The GitHub address of ``path`` (relative to the repository root)."""
    url, branch = _repository(config)
    kind = "tree" if path.endswith("/") else "blob"
    return f"{url}/{kind}/{branch}/{path.lstrip('/')}"


def colab_link(config, path: str) -> str:
    """The Colab address that opens the notebook ``path`` from the repository."""
    url, branch = _repository(config)
    options = config.html_theme_options or {}
    colab = (options.get("launch_buttons") or {}).get("colab_url", COLAB).rstrip("/")
    owner_name = url.removeprefix("https://github.com/")
    return f"{colab}/github/{owner_name}/blob/{branch}/{path.lstrip('/')}"


class _LinkRole(ReferenceRole):
    make_link = staticmethod(repository_link)

    def run(self):
        try:
            uri = self.make_link(self.config, self.target)
        except ValueError as error:
            message = self.inliner.reporter.error(str(error), line=self.lineno)
            problem = self.inliner.problematic(self.rawtext, self.rawtext, message)
            return [problem], [message]
        title = self.title if self.has_explicit_title else self.target
        link = nodes.reference(self.rawtext, title, refuri=uri, classes=["w2v-launch"])
        return [link], []


class _ColabRole(_LinkRole):
    make_link = staticmethod(colab_link)


def setup(app):
    app.add_role("repo", _LinkRole())
    app.add_role("colab", _ColabRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
