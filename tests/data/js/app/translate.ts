import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";

const prompt = ChatPromptTemplate.fromMessages([
  ["system", "You translate {input_language} to {output_language}. Keep names unchanged."],
  ["human", "{text}"],
]);
const llm = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 256 });

export const chain = prompt.pipe(llm);
