import OpenAI from "openai";
const SYSTEM_PROMPT = "Café assistant prompt for latin one users here";
