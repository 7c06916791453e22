import dedent from "dedent";

export const SUPPORT_SYSTEM_PROMPT = dedent`
  You are a support assistant for Acme. Answer in two sentences.
  Never promise refunds.
`;

export const TRIAGE_INSTRUCTIONS = [
  "Classify the ticket as billing, bug or other.",
  "Reply with one word.",
].join("\n");

export const greetingPrompt = (name: string) => `Greet ${name} warmly in one short sentence please.`;
