"""One-off: write data/catalog.json's technical fields (texts are filled in separately)."""
import json

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}
QUOTA_TAIL = " For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
QUOTA = "You exceeded your current quota, please check your plan and billing details." + QUOTA_TAIL
RL = ("Rate limit reached for {model} in organization {org} on {limit_name}: Limit {limit}, Used {used}, Requested "
      "{requested}. Please try again in {duration}. Visit https://platform.openai.com/account/rate-limits to learn more.")
FREE = " You can increase your rate limit by adding a payment method to your account at https://platform.openai.com/account/billing."


def e(id, status, type, code, exc, retryable, sdk_retries, message, trigger, param=None, original=False):
    return {"id": id, "original_guide": original, "status": status, "type": type, "code": code, "param": param,
            "sdk_exception": exc, "retryable": retryable, "sdk_retries": sdk_retries, "message": message,
            "trigger": trigger, "title": {"en": "", "zh": ""}, "cause": {"en": "", "zh": ""},
            "fix": {"en": "", "zh": ""}, "retry": {"en": "", "zh": ""}}


entries = [
    e("invalid_authentication", 401, "invalid_request_error", "invalid_api_key", "AuthenticationError", False, False,
      "Incorrect API key provided: sk-demo-***oked. You can find your API key at https://platform.openai.com/account/api-keys.",
      {"key": "sk-demo-revoked", "json": CHAT}, original=True),
    e("incorrect_api_key", 401, "invalid_request_error", "invalid_api_key", "AuthenticationError", False, False,
      "Incorrect API key provided: sk-demo-typo. You can find your API key at https://platform.openai.com/account/api-keys.",
      {"key": "sk-demo-typo", "json": CHAT}, original=True),
    e("not_in_organization", 401, "invalid_request_error", "no_organization", "AuthenticationError", False, False,
      "You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com.",
      {"key": "sk-demo-no-org", "json": CHAT}, original=True),
    e("rate_limit_reached", 429, "requests", "rate_limit_exceeded", "RateLimitError", True, True,
      RL.replace("{model}", "gpt-4o-mini").replace("{org}", "org-demo-free").replace("{limit_name}", "requests per min (RPM)")
        .replace("{limit}", "3").replace("{requested}", "1") + FREE,
      {"key": "sk-demo-free", "json": CHAT, "repeat": 4}, original=True),
    e("quota_exceeded", 429, "insufficient_quota", "insufficient_quota", "RateLimitError", False, True, QUOTA,
      {"key": "sk-demo-broke", "json": CHAT}, original=True),
    e("server_error", 500, "server_error", None, "InternalServerError", True, True,
      "The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error. (Please include the request ID {request_id} in your email.)",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-demo-flaky"}, "repeat": 2}, original=True),
    e("engine_overloaded", 503, "server_error", None, "InternalServerError", True, True,
      "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID {request_id} in your message.)",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-demo-busy"}, "simulator": {"overload_style": "legacy"}},
      original=True),
    e("missing_api_key", 401, "invalid_request_error", None, "AuthenticationError", False, False,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      {"key": None, "json": CHAT}),
    e("mismatched_organization", 401, "invalid_request_error", "mismatched_organization", "AuthenticationError", False, False,
      "OpenAI-Organization header should match organization for API key",
      {"key": "sk-demo-ok", "organization": "org-elsewhere", "json": CHAT}),
    e("invalid_organization", 401, "invalid_request_error", "invalid_organization", "AuthenticationError", False, False, "",
      {"key": "sk-demo-ok", "organization": "org-nowhere", "json": CHAT}),
    e("insufficient_permissions", 401, "invalid_request_error", None, "AuthenticationError", False, False,
      "You have insufficient permissions for this operation. Missing scopes: model.request. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
      {"key": "sk-demo-readonly", "json": CHAT}),
    e("unsupported_region", 403, "request_forbidden", "unsupported_country_region_territory", "PermissionDeniedError", False, False,
      "Country, region, or territory not supported", {"key": "sk-demo-abroad", "json": CHAT}),
    e("model_not_found", 404, "invalid_request_error", "model_not_found", "NotFoundError", False, False,
      "The model `gpt-5-turbo-preview` does not exist or you do not have access to it.",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-5-turbo-preview"}}),
    e("context_length_exceeded", 400, "invalid_request_error", "context_length_exceeded", "BadRequestError", False, False,
      "This model's maximum context length is 128000 tokens. However, you requested 129000 tokens (125000 in the messages, 4000 in the completion). Please reduce the length of the messages or completion.",
      {"key": "sk-demo-ok", "json": {**CHAT, "max_tokens": 4000}, "prompt_chars": 500000},
      param="messages"),
    e("invalid_service_tier", 400, "invalid_request_error", None, "BadRequestError", False, False,
      "Invalid service_tier argument: The requested service tier is not allowed for this project.",
      {"key": "sk-demo-ok", "json": {**CHAT, "service_tier": "priority"}}, param="service_tier"),
    e("token_rate_limit", 429, "tokens", "rate_limit_exceeded", "RateLimitError", True, True,
      RL.replace("{model}", "gpt-4o-mini").replace("{org}", "org-demo-free").replace("{limit_name}", "tokens per min (TPM)")
        .replace("{limit}", "40000").replace("{requested}", "21000") + FREE,
      {"key": "sk-demo-free", "json": {**CHAT, "max_tokens": 1000}, "prompt_chars": 80000, "repeat": 2}),
    e("request_too_large", 429, "tokens", "rate_limit_exceeded", "RateLimitError", False, True,
      "Request too large for gpt-4o-mini in organization org-demo-free on tokens per min (TPM): Limit 40000, Requested 45000. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.",
      {"key": "sk-demo-free", "json": {**CHAT, "max_tokens": 1000}, "prompt_chars": 176000}),
    e("slow_down", 429, "rate_limit_error", "slow_down", "RateLimitError", True, True,
      "Your request rate increased too quickly. Please reduce your request rate to its previous level, then increase it gradually. Please try again in {duration}.",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-demo-ramp"}, "repeat": 6}),
    e("credit_balance_exhausted", 429, "insufficient_quota", "credit_balance_exhausted", "RateLimitError", False, True,
      "You have no credits remaining.", {"key": "sk-demo-prepaid", "json": CHAT}),
    e("organization_spend_limit_exceeded", 429, "insufficient_quota", "organization_spend_limit_exceeded", "RateLimitError",
      False, True, QUOTA, {"key": "sk-demo-org-capped", "json": CHAT}),
    e("project_spend_limit_exceeded", 429, "insufficient_quota", "project_spend_limit_exceeded", "RateLimitError", False, True,
      "You exceeded your current quota, please check your plan and billing details.",
      {"key": "sk-demo-project-capped", "json": CHAT}),
    e("organization_usage_limit_exceeded", 429, "insufficient_quota", "organization_usage_limit_exceeded", "RateLimitError",
      False, True, QUOTA, {"key": "sk-demo-usage-limit", "json": CHAT}),
    e("server_is_overloaded", 503, "service_unavailable_error", "server_is_overloaded", "InternalServerError", True, True,
      "Selected model is at capacity. Please try a different model.",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-demo-busy"}}),
    e("invalid_json", 400, "invalid_request_error", None, "BadRequestError", False, False,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
      {"key": "sk-demo-ok", "raw_body": "{\"model\": \"gpt-4o-mini\", \"messages\": [}"}),
    e("missing_parameter", 400, "invalid_request_error", "missing_required_parameter", "BadRequestError", False, False,
      "Missing required parameter: 'messages'.", {"key": "sk-demo-ok", "json": {"model": "gpt-4o-mini"}, "low_level": True}, param="messages"),
    e("invalid_type", 400, "invalid_request_error", "invalid_type", "BadRequestError", False, False,
      "Invalid type for 'max_tokens': expected an integer, but got a string instead.",
      {"key": "sk-demo-ok", "json": {**CHAT, "max_tokens": "100"}}, param="max_tokens"),
    e("unknown_url", 404, "invalid_request_error", None, "NotFoundError", False, False,
      "Invalid URL (POST /v1/chat/completion)", {"key": "sk-demo-ok", "path": "/v1/chat/completion", "json": CHAT}),
    e("method_not_allowed", 405, "invalid_request_error", None, "APIStatusError", False, False,
      "Invalid method for URL (GET /v1/chat/completions)", {"key": "sk-demo-ok", "method": "GET"}),
    e("body_too_large", 413, "invalid_request_error", None, "APIStatusError", False, False,
      "Request body too large: 2200000 bytes. The maximum is 2097152 bytes.",
      {"key": "sk-demo-ok", "raw_body_bytes": 2200000}),
    e("timeout", None, None, None, "APITimeoutError", True, True, "Request timed out.",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-demo-slow"}, "timeout": 0.5}),
    e("connection_error", None, None, None, "APIConnectionError", True, True, "Connection error.",
      {"key": "sk-demo-ok", "json": {**CHAT, "model": "gpt-demo-dropped"}}),
]

if __name__ == "__main__":
    import sys
    out = {"about": "One entry per error the tutorial teaches; see data/README.md for the fields.", "entries": entries}
    with open(sys.argv[1] if len(sys.argv) > 1 else "data/catalog.json", "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
