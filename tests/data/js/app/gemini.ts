import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({});

export async function haiku() {
  const response = await ai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: "Write a haiku about autumn leaves.",
    config: { systemInstruction: "You are a poet who writes in plain words.", maxOutputTokens: 60 },
  });
  return response.text;
}
