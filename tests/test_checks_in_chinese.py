"""The exercise checks speak Chinese when the course does: a wrong answer's hint and a right answer's praise come
out of data/translations/zh.json with the values filled in, and the runner's own sentences follow the switch."""

from __future__ import annotations

import re

import pytest

import helpers.i18n
from helpers import checks
from helpers.checks.runner import Case, run_cases
from helpers.i18n import term_problems

from .notebook_code import definitions
from .test_checks import first_rate_limit, learner_bug, said

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setattr(helpers.i18n, "_chosen", "zh")


def speaks_chinese(out: str) -> str:
    assert CHINESE.search(out), out
    assert term_problems(out, "zh") == [], out
    return out


def test_the_runner_counts_and_names_the_case_in_chinese(capsys, zh):
    squares = [Case("二", (2,), 4), Case("三", (3,), 9), Case("负一", (-1,), 1)]

    def explain(case, answer):
        return f"{case.label}的平方是 {case.expected}，不是 {answer}"

    run_cases(lambda x: x + x, squares, explain, tally="例子")
    assert capsys.readouterr().out == "🤔 3 个例子中有 2 个不对。先看第一个：三的平方是 9，不是 6\n"
    run_cases(lambda x: abs(x) * x, squares, explain, tally="例子")
    assert capsys.readouterr().out == "🤔 3 个例子中有 1 个不对：负一的平方是 1，不是 -1\n"
    run_cases(learner_bug, squares, explain)
    assert capsys.readouterr().out == "🤔 二：你的函数抛出了 ZeroDivisionError: a bug in the learner's code。\n"


def test_the_runner_still_takes_a_callers_own_template(capsys, zh):
    run_cases(learner_bug, [Case("two", (2,), 4)], str, raised="square({label}) broke: {error}.")
    assert capsys.readouterr().out == "🤔 square(two) broke: ZeroDivisionError: a bug in the learner's code.\n"


def test_first_rate_limit_in_chinese(capsys, zh):
    out = speaks_chinese(said(capsys, checks.check_first_rate_limit, first_rate_limit()))
    assert out.startswith("✅ 做得好：这是一个 429 rate_limit_exceeded。API 的原话是：Rate limit reached for ")
    out = speaks_chinese(said(capsys, checks.check_first_rate_limit, ValueError("mine")))
    assert out == "🤔 `error` 里是一个 ValueError，不是 API 返回的错误。请捕获 `openai.RateLimitError`。\n"
    out = speaks_chinese(said(capsys, checks.check_first_rate_limit, first_rate_limit("sk-demo-typo")))
    assert out.startswith("🤔 这是一个 401，code 为 'invalid_api_key'。请使用密钥 sk-demo-free")


def test_notebooks_01_and_02_in_chinese(capsys, zh):
    diagnose = definitions("01")["diagnose"]
    out = speaks_chinese(said(capsys, checks.check_diagnosis, diagnose))
    assert out == "✅ 做得好：7 个诊断全部正确，包括那两个 429：速率限制值得重试，配额用完了则永远不值得。\n"
    out = speaks_chinese(said(capsys, checks.check_diagnosis, lambda exc: {**diagnose(exc), "retry": True}))
    assert out.startswith("🤔 输错的密钥（401）：'retry' 的值是 True。这里重试永远无济于事（状态码 401，type ")
    out = speaks_chinese(said(capsys, checks.check_mask_key, lambda key: key))
    assert out.startswith("🤔 mask('sk-demo-revoked') 返回了 'sk-demo-revoked'；API 会显示 'sk-demo-***oked'")
    out = speaks_chinese(said(capsys, checks.check_diagnose_401, learner_bug))
    assert out.startswith("🤔 完全没带密钥：`diagnose_401` 抛出了 ZeroDivisionError: a bug in the learner's code。")


def test_notebook_09_in_chinese(capsys, zh):
    out = speaks_chinese(said(capsys, checks.check_nested_worst_case, 4, 4 * 45))
    assert out == "🤔 4 个请求？SDK 会尝试 max_retries + 1 = 4 次，而 tenacity 最多调用它 3 次。\n"
    out = speaks_chinese(said(capsys, checks.check_nested_worst_case, 12, 12 * 45))
    assert out.startswith("✅ 一次调用，12 个请求，最长等 9 分钟。")


def test_notebooks_04_and_05_in_chinese(capsys, zh):
    nb04, nb05 = definitions("04"), definitions("05")
    is_billing_error, worst_case_seconds = nb04["is_billing_error"], nb05["worst_case_seconds"]
    out = speaks_chinese(said(capsys, checks.check_is_billing_error, is_billing_error))
    assert out.startswith("✅ 11 个例子全部分对了：五个账单 code 和 2023 年的格式都是账单错误；")
    out = speaks_chinese(
        said(capsys, checks.check_is_billing_error, lambda exc: is_billing_error(exc) or isinstance(exc, ValueError))
    )
    assert out == (
        "🤔 11 个例子中有 1 个不对：一个普通的 ValueError（根本不是 API 发来的）：你的函数返回 True，但应该返回 "
        "False。只有 API 的错误才可能是账单错误：先检查 `isinstance(exc, openai.RateLimitError)`。\n"
    )
    assert term_problems(out, "zh", "rate_limit") == []
    out = speaks_chinese(said(capsys, checks.check_should_retry, lambda exc: True))
    assert out.startswith(
        "🤔 15 个用例中有 8 个不对。先看第一个：429 insufficient_quota（配额用完）：你的函数返回 True"
    )
    out = speaks_chinese(said(capsys, checks.check_worst_case_seconds, lambda timeout, retries: 3))
    assert out == "🤔 worst_case_seconds(2, 2) 得到 3；应该是 7.5 秒 = 3 次尝试 × 2 秒 + 每次重试之前最长的休眠。\n"
    out = speaks_chinese(said(capsys, checks.check_worst_case_seconds, worst_case_seconds))
    assert "1801.5 秒" in out and out.startswith("✅ ")
