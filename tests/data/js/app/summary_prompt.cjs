module.exports.SUMMARY_PROMPT = "Summarise the text in three bullet points for a busy executive.";
