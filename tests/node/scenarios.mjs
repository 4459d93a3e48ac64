// The official Node SDK against the served simulator: node scenarios.mjs http://127.0.0.1:PORT/v1
// Prints one JSON object: for each scenario, what arrived and what was thrown (class, status, code, message).
import OpenAI from "openai";

const baseURL = process.argv[2];
const client = (apiKey = "sk-demo-ok", options = {}) => new OpenAI({ apiKey, baseURL, maxRetries: 0, ...options });
const HI = [{ role: "user", content: "hi" }];

function describe(error) {
  if (!error) return null;
  return {
    class: error.constructor.name,
    status: error.status ?? null,
    code: error.code ?? null,
    type: error.type ?? null,
    param: error.param ?? null,
    message: error.message,
  };
}

async function run(fn) {
  const got = [];
  try {
    await fn(got);
    return { got, error: null };
  } catch (error) {
    return { got, error: describe(error) };
  }
}

async function chatStream(got, model, c = client()) {
  const stream = await c.chat.completions.create({ model, messages: HI, stream: true, stream_options: { include_usage: true } });
  for await (const chunk of stream) got.push(chunk.choices.length ? chunk.choices[0].delta.content ?? "" : { usage: chunk.usage.total_tokens });
}

async function responseStream(got, model, extra = {}, c = client()) {
  const stream = await c.responses.create({ model, input: "hello", stream: true, ...extra });
  for await (const event of stream) got.push(event.type === "response.output_text.delta" ? event.delta : event.type);
}

const big = "x".repeat(60000);
const free = client("sk-demo-free");
const results = {
  chat_plain: await run(async (got) => got.push((await client().chat.completions.create({ model: "gpt-4o-mini", messages: HI })).choices[0].message.content)),
  chat_stream: await run((got) => chatStream(got, "gpt-4o-mini")),
  chat_stream_401: await run((got) => chatStream(got, "gpt-4o-mini", client("sk-demo-typo"))),
  chat_stream_404: await run((got) => chatStream(got, "gpt-nope")),
  chat_midstream: await run((got) => chatStream(got, "gpt-demo-midstream")),
  chat_dropped: await run((got) => chatStream(got, "gpt-demo-dropped")),
  chat_unknown_argument: await run(async () => client().chat.completions.create({ model: "gpt-4o-mini", messages: HI, foo: 1 })),
  responses_plain: await run(async (got) => {
    const r = await client().responses.create({ model: "gpt-4o-mini", input: "hello" });
    got.push(r.status, r.output_text);
  }),
  responses_stream: await run((got) => responseStream(got, "gpt-4o-mini")),
  responses_failed: await run((got) => responseStream(got, "gpt-demo-midstream")),
  responses_incomplete: await run((got) => responseStream(got, "gpt-4o-mini", { max_output_tokens: 3 })),
  responses_unknown_parameter: await run(async () => client().responses.create({ model: "gpt-4o-mini", input: "x", foo: 1 })),
  responses_previous_missing: await run(async () =>
    client().responses.create({ model: "gpt-4o-mini", input: "x", previous_response_id: "resp_nope" }),
  ),
  responses_rate_limit_first: await run((got) => responseStream(got, "gpt-4o-mini", { input: big, max_output_tokens: 16000 }, free)),
  responses_rate_limit_second: await run((got) => responseStream(got, "gpt-4o-mini", { input: big, max_output_tokens: 16000 }, free)),
};
console.log(JSON.stringify(results));
