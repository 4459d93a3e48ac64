"""One code, two texts: a translated notebook (notebooks/zh/) runs the same code as its English original.

Only what a reader reads may differ: markdown cells, comments, and prose strings: a string with a space or a
non-ASCII letter in it on either side (a sentence, or a word translated into Chinese: "attempts" -> "尝试次数"),
one given straight to print() or a plot's set_title(), or a widget's or a plot's label (`description=`). A name,
a key, a model, a number or a header that differs is a fix made in one language and forgotten in the other: it
fails here.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TRANSLATIONS = sorted(d for d in NOTEBOOKS.iterdir() if (d / "src").is_dir())
TWINS = [
    (NOTEBOOKS / "src" / src.name, src) for folder in TRANSLATIONS for src in sorted((folder / "src").glob("[0-9]*.py"))
]
SOLUTIONS = [
    (NOTEBOOKS / "solutions" / path.name, path)
    for folder in TRANSLATIONS
    for path in sorted((folder / "solutions").glob("*.py"))
]
SHOWN_BY = {"print", "set_title", "set_xlabel", "set_ylabel", "suptitle"}  # calls whose string arguments are read
LABELS = {"description", "label", "title", "xlabel", "ylabel"}  # keyword arguments that name what a reader sees


def is_prose(literal: str) -> bool:
    text = literal.strip("\"'rbfuRBFU")
    return any(ch.isspace() or not ch.isascii() for ch in text)


class Literal(str):
    """A string token, equal to another when both are the same code, or when either side is prose."""

    prose: bool

    def __new__(cls, text: str, prose: bool):
        literal = super().__new__(cls, text)
        literal.prose = prose or is_prose(text)
        return literal

    def __eq__(self, other) -> bool:
        if isinstance(other, Literal) and (self.prose or other.prose):
            return True
        return str.__eq__(self, other)

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = str.__hash__


def code_tokens(source: str) -> list[str]:
    """The tokens of `source` that are code, comments and blank lines dropped; each string a `Literal` (with
    Python 3.12's f-string tokens folded back into one string first)."""
    tokens: list[str] = []
    fstring: list[str] | None = None
    depth, shown_at = 0, []  # bracket depth, and the depths at which a print( or set_title( call's arguments sit

    def string(literal: str) -> None:
        shown = bool(shown_at) and shown_at[-1] == depth
        labelled = len(tokens) >= 2 and tokens[-1] == "=" and tokens[-2] in LABELS
        tokens.append(Literal(literal, shown or labelled))

    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        kind = tokenize.tok_name[tok.type]
        if fstring is not None:
            fstring.append(tok.string)
            if kind == "FSTRING_END":
                string("".join(fstring))
                fstring = None
            continue
        if kind == "FSTRING_START":
            fstring = [tok.string]
        elif kind == "STRING":
            string(tok.string)
        elif kind not in ("COMMENT", "NL", "NEWLINE", "INDENT", "DEDENT", "ENDMARKER"):
            if tok.string in "([{":
                depth += 1
                if tok.string == "(" and tokens and tokens[-1] in SHOWN_BY:
                    shown_at.append(depth)
            elif tok.string in ")]}":
                if shown_at and shown_at[-1] == depth:
                    shown_at.pop()
                depth -= 1
            tokens.append(tok.string)
    return tokens


def code_cells(path: Path) -> list[tuple[tuple[str, ...], list[str]]]:
    """(tags, code tokens) of each code cell of a notebook source."""
    return [
        (tuple(cell.metadata.get("tags", [])), code_tokens(cell.source))
        for cell in jupytext.read(path, fmt="py:percent").cells
        if cell.cell_type == "code"
    ]


def first_difference(a: list[str], b: list[str]) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"{' '.join(a[max(0, at - 6) : at + 4])!r} vs {' '.join(b[max(0, at - 6) : at + 4])!r}"


@pytest.mark.parametrize("english, translated", TWINS, ids=[f"{t.parent.parent.name}/{t.stem}" for _, t in TWINS])
def test_a_translated_notebook_has_the_code_of_its_original(english, translated):
    assert english.exists(), f"{translated} translates no English notebook"
    theirs, ours = code_cells(english), code_cells(translated)
    assert len(ours) == len(theirs), f"{len(ours)} code cells, the English has {len(theirs)}"
    for n, ((tags_en, code_en), (tags, code)) in enumerate(zip(theirs, ours), 1):
        assert tags == tags_en, f"code cell {n}: tags {tags} vs {tags_en} in English"
        assert code == code_en, f"code cell {n} differs from the English: {first_difference(code, code_en)}"


@pytest.mark.parametrize(
    "english, translated", SOLUTIONS, ids=[f"{t.parent.parent.name}/{t.stem}" for _, t in SOLUTIONS]
)
def test_a_translated_solution_has_the_code_of_its_original(english, translated):
    assert english.exists(), f"{translated} translates no English solution"
    code, code_en = (
        code_tokens(translated.read_text(encoding="utf-8")),
        code_tokens(english.read_text(encoding="utf-8")),
    )
    assert code == code_en, f"differs from the English: {first_difference(code, code_en)}"


def test_a_changed_name_number_or_key_is_caught_and_translated_prose_is_not():
    english = 'print("Retry in", wait, "seconds")  # wait first\nclient = make_client("sk-demo-free")\n'
    assert code_tokens(english) == code_tokens(
        'print("重试前等待", wait, "秒")  # 先等待\nclient = make_client("sk-demo-free")\n'
    )
    assert code_tokens(english) != code_tokens(
        'print("Retry in", wait, "seconds")\nclient = make_client("sk-demo-ok")\n'
    )
    assert code_tokens(english) != code_tokens(
        'print("Retry in", wait * 2, "seconds")\nclient = make_client("sk-demo-free")\n'
    )
    assert code_tokens('f"{n} tokens"') == code_tokens('f"{n} 个 token"')
    assert code_tokens('print(h.get("retry-after"))') != code_tokens('print(h.get("retry_after"))')
    assert code_tokens('IntSlider(description="requests")') == code_tokens('IntSlider(description="请求数")')
    assert code_tokens('dict(role="user")') != code_tokens('dict(role="assistant")')
    assert code_tokens('rows = [("attempts", m)]') == code_tokens('rows = [("尝试次数", m)]')
