"""The API's error bodies, message for message. Strings marked 'wire' are the real service's text.

Each builder returns an `ApiError`; the simulator turns it into bytes and headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RATE_LIMITS_URL = "https://platform.openai.com/account/rate-limits"
KEYS_URL = "https://platform.openai.com/account/api-keys"

# wire: the text of each message, from ../shared/reference/openai-api.md §2 and §6.
MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
    "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
    "accessing the API from your browser and are prompted for a username and password. You can obtain an API "
    f"key from {KEYS_URL}."
)
INCORRECT_KEY = "Incorrect API key provided: {masked_key}. You can find your API key at " + KEYS_URL + "."
NO_ORGANIZATION = (
    "You must be a member of an organization to use the API. Please contact us through our help center at "
    "help.openai.com."
)
MISMATCHED_ORGANIZATION = "OpenAI-Organization header should match organization for API key"
INSUFFICIENT_PERMISSIONS = (
    "You have insufficient permissions for this operation. Missing scopes: {scope}. Check that you have the "
    "correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using "
    "a restricted API key, that it has the necessary scopes."
)
UNSUPPORTED_REGION = "Country, region, or territory not supported"
MODEL_NOT_FOUND = "The model `{model}` does not exist or you do not have access to it."
CONTEXT_CHAT = (
    "This model's maximum context length is {ctx} tokens. However, your messages resulted in {n} tokens. "
    "Please reduce the length of the messages."
)
CONTEXT_SPLIT = (
    "This model's maximum context length is {ctx} tokens. However, you requested {total} tokens ({prompt} in "
    "the messages, {completion} in the completion). Please reduce the length of the messages or completion."
)
SERVICE_TIER_NOT_ALLOWED = "Invalid service_tier argument: The requested service tier is not allowed for this project."
RATE_LIMIT = (
    "Rate limit reached for {model} in organization {org} on {limit_name}: Limit {limit}, Used {used}, "
    "Requested {requested}. Please try again in {duration}. Visit " + RATE_LIMITS_URL + " to learn more."
)
RATE_LIMIT_FREE_SUFFIX = (
    " You can increase your rate limit by adding a payment method to your account at "
    "https://platform.openai.com/account/billing."
)
REQUEST_TOO_LARGE = (
    "Request too large for {model} in organization {org} on tokens per min (TPM): Limit {limit}, Requested "
    "{requested}. The input or output tokens must be reduced in order to run successfully. Visit "
    + RATE_LIMITS_URL
    + " to learn more."
)
QUOTA = (
    "You exceeded your current quota, please check your plan and billing details. For more information on "
    "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
)
PROJECT_QUOTA = "You exceeded your current quota, please check your plan and billing details."
# Only the start of this message was ever captured; we end it there.
NO_CREDITS = "You have no credits remaining."
SERVER_ERROR = (
    "The server had an error processing your request. Sorry about that! You can retry your request, or contact "
    "us through our help center at help.openai.com if you keep seeing this error. (Please include the request "
    "ID {request_id} in your email.)"
)
OVERLOADED_LEGACY = (
    "That model is currently overloaded with other requests. You can retry your request, or contact us through "
    "our help center at help.openai.com if the error persists. (Please include the request ID {request_id} in "
    "your message.)"
)
OVERLOADED = "Selected model is at capacity. Please try a different model."
INVALID_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"
)
MISSING_PARAMETER = "Missing required parameter: '{param}'."
INVALID_TYPE = "Invalid type for '{param}': expected {expected}, but got {got} instead."
DECIMAL_OUT_OF_RANGE = "Invalid '{param}': decimal {side} value. Expected a value {bound}, but got {value} instead."
CONTEXT_EMBEDDINGS = (
    "This model's maximum context length is {ctx} tokens, however you requested {n} tokens ({n} in your prompt; "
    "0 for the completion). Please reduce your prompt; or completion length."
)
INVALID_URL = "Invalid URL ({method} {path})"
INVALID_METHOD = "Invalid method for URL ({method} {path})"

# Not captured on the wire; our own wording, in the API's style.
SLOW_DOWN = (
    "Your request rate increased too quickly. Please reduce your request rate to its previous level, then "
    "increase it gradually. Please try again in {duration}."
)
ARRAY_TOO_LONG = (
    "Invalid '{param}': array too long. Expected an array with maximum length {limit}, but got an array with "
    "length {n} instead."
)
EMBEDDING_TOKENS = (
    "Requested {n} tokens, max {limit} tokens per request. (The simulator's bound, not a figure from the API.)"
)
INVALID_UNICODE = (
    "We could not parse the JSON body of your request: it holds a lone surrogate (an invalid Unicode escape such "
    "as \\ud800). Send valid UTF-8."
)
BODY_TOO_LARGE = "Request body too large: {size} bytes. The maximum is {limit} bytes."

# wire: ../shared/reference/streaming.md §1.5, §2.4 and §4.
STREAM_OPTIONS_WITHOUT_STREAM = "The 'stream_options' parameter is only allowed when 'stream' is enabled."
UNRECOGNIZED_ARGUMENT = "Unrecognized request argument supplied: {names}"
UNRECOGNIZED_ARGUMENTS = "Unrecognized request arguments supplied: {names}"
UNKNOWN_PARAMETER = "Unknown parameter: '{param}'."
PREVIOUS_RESPONSE_NOT_FOUND = "Previous response with id '{response_id}' not found."
# Not captured: our wording for GET /v1/responses/{id} of an id never stored.
RESPONSE_NOT_FOUND = "Response with id '{response_id}' not found."

BILLING_MESSAGES = {
    "insufficient_quota": QUOTA,
    "credit_balance_exhausted": NO_CREDITS,
    "organization_spend_limit_exceeded": QUOTA,
    "organization_usage_limit_exceeded": QUOTA,
    "project_spend_limit_exceeded": PROJECT_QUOTA,
}

LIMIT_NAMES = {
    "rpm": "requests per min (RPM)",
    "tpm": "tokens per min (TPM)",
    "rpd": "requests per day (RPD)",
    "tpd": "tokens per day (TPD)",
}


@dataclass
class ApiError:
    """An error the API answers with: the status, the four body fields, and any extra headers."""

    status: int
    message: str
    type: str
    param: str | None = None
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    key_order: tuple[str, ...] = ("message", "type", "param", "code")

    def body(self) -> dict:
        fields = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        return {"error": {k: fields[k] for k in self.key_order}}


def mask_key(key: str) -> str:
    """Show a key as the API echoes it: the first 8 and last 4 characters, one star per hidden character."""
    hidden = len(key) - 12
    if hidden <= 0:
        return key
    return key[:8] + "*" * hidden + key[-4:]


def invalid_request(status: int, message: str, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(status, message, "invalid_request_error", param, code)


def missing_key() -> ApiError:
    return invalid_request(401, MISSING_KEY)


def incorrect_key(key: str) -> ApiError:
    return invalid_request(401, INCORRECT_KEY.format(masked_key=mask_key(key)), code="invalid_api_key")


def no_organization() -> ApiError:
    return invalid_request(401, NO_ORGANIZATION, code="no_organization")


def mismatched_organization() -> ApiError:
    return invalid_request(401, MISMATCHED_ORGANIZATION, code="mismatched_organization")


def invalid_organization() -> ApiError:
    return invalid_request(401, "", code="invalid_organization")


def insufficient_permissions(scope: str) -> ApiError:
    # 2026 captures carry code missing_scope; older ones had none
    return invalid_request(401, INSUFFICIENT_PERMISSIONS.format(scope=scope), code="missing_scope")


def unsupported_region() -> ApiError:
    return ApiError(
        403,
        UNSUPPORTED_REGION,
        "request_forbidden",
        code="unsupported_country_region_territory",
        key_order=("code", "message", "param", "type"),
    )


def model_not_found(model: str) -> ApiError:
    return invalid_request(404, MODEL_NOT_FOUND.format(model=model), code="model_not_found")


def quota(code: str) -> ApiError:
    return ApiError(429, BILLING_MESSAGES[code], "insufficient_quota", code=code)


def server_error(request_id: str) -> ApiError:
    return ApiError(500, SERVER_ERROR.format(request_id=request_id), "server_error")


def overloaded(legacy: bool, request_id: str, retry_headers: dict[str, str]) -> ApiError:
    if legacy:  # the 2023 form came with no documented Retry-After
        return ApiError(503, OVERLOADED_LEGACY.format(request_id=request_id), "server_error")
    return ApiError(503, OVERLOADED, "service_unavailable_error", code="server_is_overloaded", headers=retry_headers)
