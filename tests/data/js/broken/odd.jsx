import OpenAI from "openai";
const client = new OpenAI();
export const View = () => <div><>{[<p key="a">{"{"}</p>, <b>{`}`}</b>]}</><br/><div>{<i>{<u>x</u>}</i>}</div></div>;
export async function label(text) {
  return client.chat.completions.create({ model: "gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: <b>nope</b> }, { role: "user", content: "Label: " + text }] });
}
