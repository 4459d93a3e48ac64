"""Cell makers shared by the notebook sources in this folder."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell


def md(text: str, **meta):
    return new_markdown_cell(text.strip("\n"), metadata=meta)


def code(text: str, tags=(), hidden=False):
    meta = {"tags": list(tags)} if tags else {}
    if hidden:
        meta["jupyter"] = {"source_hidden": True}
    return new_code_cell(text.strip("\n"), metadata=meta)
