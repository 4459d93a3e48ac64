"""The checks of notebooks 03, 06, 07, 08 and 10 speak Chinese when the course does: a wrong answer's hint and a
right answer's praise, with the case's label and the numbers filled in, and no English sentence left over.

The English texts are tested in test_checks.py; here only the language changes.
"""

from __future__ import annotations

import re

import pytest

from helpers import checks, i18n
from helpers.retry import FullJitter, MaxAttempts, RetryPolicy, RetryQuota, classify_exception

from .notebook_code import definitions
from .test_checks import said

# an English sentence of a check (the Chinese keeps code, numbers and API words in English, never a sentence)
ENGLISH_SENTENCE = re.compile(r"\b(For|your|you|the|should|Right|All)\b")


def learner_bug(*args, **kwargs):
    raise ZeroDivisionError("学员代码里的 bug")  # the learner's own words are not the check's to translate


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    monkeypatch.setattr(i18n, "_chosen", "zh")


def says(capsys, check, *args) -> str:
    out = said(capsys, check, *args)
    assert not ENGLISH_SENTENCE.search(out), out
    return out


def test_try_again_in_speaks_chinese(capsys):
    try_again_in = definitions("03")["try_again_in"]
    out = says(capsys, checks.check_try_again_in, try_again_in)
    assert out.startswith("✅ 9 个用例全部正确。") and "'9.816s'" in out, out
    out = says(capsys, checks.check_try_again_in, lambda limit, used, requested, window_s=60: used + requested - limit)
    assert out == (
        "🤔 在用例“正文中的例子（TPM 10,000，已用 8,554，请求 3,082）”中，你返回了 1636。"
        "1636 是超出的用量，不是秒数：还要除以恢复速率 limit / window_s。\n"
    )
    out = says(capsys, checks.check_try_again_in, learner_bug)
    assert "try_again_in 抛出了 ZeroDivisionError: 学员代码里的 bug。" in out, out


def test_retry_loop_speaks_chinese(capsys):
    full_jitter, call_with_retries = (definitions("06")[name] for name in ("full_jitter", "call_with_retries"))

    def ignores_retry_after(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
        for attempt in range(1, max_attempts + 1):
            try:
                return send()
            except Exception as exc:
                if attempt == max_attempts or not classify_exception(exc).retryable:
                    raise
            clock.sleep(full_jitter(attempt, base, cap, rng))

    assert says(capsys, checks.check_retry_loop, call_with_retries).startswith("✅ 9 个用例全部正确：你的循环")
    out = says(capsys, checks.check_retry_loop, ignores_retry_after)
    assert "在用例“免费层级的第 4 个请求（429，Retry-After: 20）”中，你的第二次尝试在第一次之后" in out, out
    assert "但服务器要求等 20 秒。" in out, out


def test_full_jitter_speaks_chinese(capsys):
    out = says(capsys, checks.check_full_jitter, lambda n, base, cap, rng: min(cap, base * 2 ** (n - 1)))
    assert out.startswith("🤔 full_jitter(1, 0.5, 8, rng) 总是返回 0.5，也就是上界本身：这是普通的带上限指数退避。"), (
        out
    )
    assert says(capsys, checks.check_full_jitter, definitions("06")["full_jitter"]).startswith("✅ 正确：")


def test_retry_budget_and_nested_attempts_speak_chinese(capsys):
    out = says(capsys, checks.check_retry_budget, RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(6),)))
    assert "全面故障时，你的策略平均每个请求发出 6.00 次尝试（最多允许 1.2 次）。" in out, out
    policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4), RetryQuota(capacity=20, retry_cost=5)))
    assert says(capsys, checks.check_retry_budget, policy).startswith("✅ 全面故障：每个请求 ")
    out = says(capsys, checks.check_nested_attempts, lambda layers: sum(r + 1 for r in layers))
    assert out.startswith("🤔 worst_case_requests([5, 2]) 得出 9：你把各层加了起来。"), out
    out = says(capsys, checks.check_nested_attempts, definitions("07")["worst_case_requests"])
    assert "这样一层套一层则是 72。一次调用，72 个请求：只在一层重试。" in out, out


def test_pacer_and_batch_settings_speak_chinese(capsys):
    Pacer = definitions("08")["Pacer"]

    class NoWait(Pacer):
        def wait_for(self, tokens):
            return 0.0

    out = says(capsys, checks.check_pacer, NoWait)
    assert out == (
        "🤔 `wait_for(100)` 等了 0 秒；应为 10 秒：桶现在空了，每秒恢复 10 个 token，所以 100 个 token 要等 10 秒。\n"
    )
    assert says(capsys, checks.check_pacer, Pacer).startswith("✅ 你的 Pacer 在每分钟 3,000 个 token 的限制下")
    out = says(capsys, checks.check_batch_settings, 1, 0.8)
    assert "同时只有 1 个请求在途，每个回答要 2 秒" in out and out.endswith("请调高 MAX_CONCURRENCY。\n"), out
    assert says(capsys, checks.check_batch_settings, 4, 1.0).endswith("请调低 HEADROOM。\n")
    assert says(capsys, checks.check_batch_settings, 4, 0.8).startswith("✅ 60 个任务在第 ")


def test_stream_checks_speak_chinese(capsys):
    nb10 = definitions("10")
    out = says(capsys, checks.check_stream_text, lambda client, model, messages, attempts=3: "Simulated reply")
    assert out.startswith("🤔 你的函数没有发送流式请求：调用 create(..., stream=True)"), out
    assert says(capsys, checks.check_stream_text, nb10["stream_text"]).endswith("这就是安全的流重试。\n")
    out = says(capsys, checks.check_stream_answer, learner_bug)
    assert out.startswith("🤔 在用例“正常的回答”中，你的函数抛出了 ZeroDivisionError"), out
    assert says(capsys, checks.check_stream_answer, nb10["stream_answer"]).startswith("✅ completed、incomplete")


RATE_LIMIT_CHECKS = ("try_again_in", "seconds_until_fits", "rate_limit_tokens", "pacer", "batch_settings")


def test_rate_limit_checks_never_call_the_allowance_a_quota():
    texts = {key: text for key, text in i18n.translations("zh")["checks"].items() if key.startswith(RATE_LIMIT_CHECKS)}
    assert texts
    for key, text in texts.items():
        assert i18n.term_problems(text, "zh", "rate_limit") == [], key
