const Anthropic = require("@anthropic-ai/sdk");
const { SUMMARY_PROMPT } = require("./summary_prompt.cjs");

const anthropic = new Anthropic();
const base = { model: "claude-haiku-4-5", max_tokens: 200 };

async function summarise(text) {
  return anthropic.beta.messages.create({
    ...base,
    system: [{ type: "text", text: SUMMARY_PROMPT, cache_control: { type: "ephemeral" } }],
    messages: [{ role: "user", content: "Summarise this:\n\n" + text }],
  });
}

module.exports = { summarise };
