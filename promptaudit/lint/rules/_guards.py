"""Which sentences PA101 and PA102 compare at all: the precision guards, measured on real prompts.

On real system prompts most "repeats" are structure, not waste (docs/rules.md has the measured figures).
Each guard below is a named function; a sentence that any guard claims is never compared, so it can
neither be flagged nor make another sentence a repeat:

``tool_schema``
    Text of a tool definition (a chat file's ``tools``): parameter docs repeat their wording by design.
``transcript``
    Worked dialogues: lines from a speaker label (``Q:``, ``A:``, ``User:``, ``AI:``, ``Observation:``,
    ``Thought:``, ...) to the next blank line, and ``## Q(user)``-style headings with what follows them.
``example``
    Example blocks: ``<example>`` tags, and from a short lead-in ("Example:", "For example:", "Here are
    some examples", "Search decision examples:", "The following are examples of ...") to the next heading,
    section tag or template variable.
``markup_only``
    Nothing but tags, template syntax and punctuation (``</userRequest>``, ``{% endif %}``).
``template_logic``
    Fewer than ``min_words`` words once template syntax is removed (``{{ agent.name }}: {{ agent.description }}``).
``heading_like``
    A short line in capitals, a short lead-in ending with a colon ("Chat History:"), or a Markdown heading
    indented inside a block (``    ## Formatting your response`` in a YAML block read as text).
``key_value``
    ``key: value`` and parameter-list sentences (``path: (required) The path ...``, ```mode` - one of ...``,
    ```input` → Fill a field``), except emphasis keys such as ``IMPORTANT:`` or ``Note:``. When the key is an
    identifier (``linked_memory_ids``), every sentence on its line, and on the lines nested under it
    (``- select: string`` / ``  - Must exactly match one of the option names.``), is a parameter doc.
``question``
    A question ("What is your next thought or action?"): checklists, closing prompts and example queries ask
    again on purpose.
``example_sentence``
    A sentence that opens an example ("For example, if ...", "Similarly, if you want ...").
``output_spec``
    Lines of a section that specifies the output ("Deliverables:", "## Output format", ``<output_format>``):
    its items name what to return, in parallel with the task items they echo, not a second instruction.
``numbered_levels``
    Two sentences under different numbered headings ("## [Score: 4]" / "## [Score: 5]", "Step 1" / "Step 2")
    are not compared: each level of a rubric or step of a procedure is read on its own.
``code_like``
    Code outside fences: assignments, calls, ``def``/``import``/``RUN`` lines, numbered source listings,
    JSON fragments (a high share of brackets, quotes and operators); and ``code_line`` lines: every
    sentence of a comment (``// ...``, ``/* ...``) in a code sample or a type definition documents the code
    beside it, and a ternary branch (``? 'You are not connected ...'``) is a string in code.
``markup_field``
    A field of a markup sample: one element around a few words (``<document_id>ID of the cited
    document</document_id>``), a placeholder of an output format, not an instruction.
``listing_entry``
    A file listing's entry: a path, alone or with a parenthetical note (``lib/utils.ts (the cn helper)``).
``template_conditions``
    A later copy that can be sent without the first: in another branch of one ``{% if %}``, or under
    conditions the first copy is not (``{% if step_limit %}`` / ``{% if time_limit %}``, ``not b`` / ``b``);
    see :mod:`._conditions`.
``parallel_sections``
    Sentences under parallel subjects (the docs of two tools or commands, written from one mould); see
    :mod:`._subjects`.

``list_lead_in``
    A sentence with no full stop that ends its line right before a list, or that ends with a colon right
    before a code fence, a tag or an indented block: it introduces the list or the sample.

One more guard marks rather than drops: ``recap_section``. A sentence inside a section named like a recap
(summary, reminder, recap, "most important", key points) restates on purpose; its finding is lowered to ``info`` with a "recap?" note, so it never adds savings.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from promptaudit.lint.rules._lexicon import content_word
from promptaudit.reading.sentences import ITEM, Sentence

_SPEAKER = re.compile(
    r"\s*(?:[-*>]\s*)?(?:\*\*)?(?:q|a|user|human|ai|assistant|system|bot|agent|customer|observation|thought|action|"
    r"action input|final answer|follow up|intermediate answer|person ?#?\d+|khoj|response|output|question|answer|"
    r"(?:user )?query|plan)"
    r"(?:\*\*)?\s*:",
    re.IGNORECASE,
)
_QA_HEADING = re.compile(r"\s*#{1,6}\s*[QA]\b")
_EXAMPLE_LEAD = re.compile(
    r"\W*(?:here (?:is|are) (?:an? |some |a few )?)?(?:examples?|for example|for instance|sample|e\.g\.)\b", re.I
)
_EXAMPLE_TITLE = re.compile(r"[^.!?]*\bexamples?\b[^.!?]*(?::\W*)?$", re.I)  # "Search decision examples:"
_EXAMPLES_FOLLOW = re.compile(r".{0,40}?\b(?:the )?(?:following|below) (?:are|is) (?:some |a few )?examples?\b", re.I)
_EXAMPLE_TAG = re.compile(r"\s*<(/?)examples?\b[^>]*>", re.IGNORECASE)
_SECTION_TAG = re.compile(r"\s*<(/?)([A-Za-z_][\w.-]*)[^>]*>\s*$")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*)")
_VARIABLE_LINE = re.compile(r"\{\{[^}]*\}\}|\{[A-Za-z_]\w*\}|\$\{?[A-Za-z_]\w*")
_OUTPUT_SPEC = re.compile(
    r"^\W*(?:deliverables?|outputs?(?: format| structure| requirements)?|response format|expected output|"
    r"return format|report (?:structure|format)|output_format|response_format)\W*$",
    re.I,
)
_RECAP = re.compile(r"summary|summari[sz]e|reminder|recap|most important|key points|tl;?dr|remember", re.I)
_TAG = re.compile(r"</?[A-Za-z_][\w:.-]*[^<>]*>")
_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\{[A-Za-z_][\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%\(\w+\)s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_KEY_VALUE = re.compile(
    r"\s*(?:[-*•]\s*|\d{1,3}[.)]\s*)?[`*_\"']*([A-Za-z_][\w .#/()'`+-]{0,40}?)[`*_\"']*\s*(?:\([^)]*\))?\s*"
    r"(?::|\s[-–—]\s|\s*(?:→|->|=>)\s*)\s*\S"
)
_EMPHASIS_KEYS = frozenset(
    "important note notes warning critical remember reminder tip rule rules never always caution attention nb "
    "must mandatory requirement constraints constraint goal objective task instructions instruction".split()
)
_CODE_START = re.compile(
    r"\s*(?:def|class|import|from|return|const|let|var|function|async|await|print|if __name__|RUN|COPY|FROM|CMD|ENV|"
    r"WORKDIR|SELECT|INSERT|UPDATE|DELETE|CREATE|MATCH)\b|\s*\d+\s*\||\s*[{}\[\]]|\s*//|\s*#!|\s*\$ "
    r"|\s*[?:]\s*['\"`]|\s*(?:export\s+)?(?:type|interface)\s+\w+\s*[={<]"
)
_CODE_LINE = re.compile(r"\s*(?://|/\*|[?:]\s*['\"`])")  # a comment, a ternary branch
_FIELD = re.compile(r"\s*<([A-Za-z_][\w:.-]*)>([^<>]*)</\1>\s*$")
_LISTING_ENTRY = re.compile(r"[\w@~-]*(?:/[\w.*@~-]+|\.[A-Za-z]\w*)+/?(?:\s*\([^()]*\))?\s*$")
_MD_INDENTED_HEADING = re.compile(r"#{1,6}\s")
_EXAMPLE_SENTENCE = re.compile(r"\W*(?:for example|for instance|e\.g\.|similarly, if)\b", re.I)
_BRANCH = re.compile(r"\{%-?\s*(if|elif|else|endif)\b")
_CODE_SYMBOLS = re.compile(r"[(){}\[\]=<>;|\"\\+*/]")


def structure(text: str) -> bool:
    """Whether one sentence, on its own, is structure rather than prose (see the module docstring); a rule's
    word floor is ``template_logic``, applied apart (``_regions.comparable``) so this runs once per prompt."""
    if markup_only(text):
        return True
    bare = " ".join(_TEMPLATE.sub(" ", text).split())
    if listing_entry(bare):
        return True
    return heading_like(bare) or key_value(bare) or code_like(bare) or question(bare) or example_sentence(bare)


def example_lead(line: str) -> bool:
    """A line that opens an example block: "Example:", "Here are some examples", a short title naming
    examples ("Search decision examples:", "--- GOOD EXAMPLE ---"), or "The following are examples of ..."."""
    words = len(line.split())
    if words <= 10 and (_EXAMPLE_LEAD.match(line) or _EXAMPLE_TITLE.match(line)):
        return True
    return words <= 40 and bool(_EXAMPLES_FOLLOW.match(line))


def markup_field(line: str) -> bool:
    """A field of a markup sample: one element around a few words (``<document_id>ID of the document</document_id>``)."""
    match = _FIELD.match(line)
    return match is not None and len(_WORD.findall(match.group(2))) <= 8


def listing_entry(text: str) -> bool:
    """An entry of a file listing: a path, alone or with a parenthetical note."""
    return bool(_LISTING_ENTRY.match(text.strip("*_`")))


def code_line(line: str) -> bool:
    """A line of code whose every sentence is code: a comment (``// ...``, ``/* ...``) or a ternary branch
    (``? 'You are not connected ...'``)."""
    return bool(_CODE_LINE.match(line))


def list_lead_in(text: str, sentence: Sentence) -> bool:
    """``list_lead_in`` guard: a sentence with no full stop that ends its line right before a list ("LaTeX
    delimiters as following" + bullets) introduces the list; it is structure, like a heading. In a list item,
    only a list nested deeper counts (the next sibling item is not introduced by this one)."""
    if sentence.text.rstrip("*_ ").endswith((".", "!", "?")):
        return False
    rest = text[sentence.end :]
    if rest.split("\n", 1)[0].strip():
        return False
    following = next((line for line in rest.split("\n")[1:] if line.strip()), "")
    own = text[text.rfind("\n", 0, sentence.start) + 1 : sentence.start]
    if sentence.text.rstrip("*_ ").endswith(":") and _introduces_sample(following, own):
        return True
    if not _LIST_ITEM.match(following):
        return False
    return sentence.kind != ITEM or _indent(following) > _indent(own)


def _introduces_sample(following: str, own: str) -> bool:
    """The next line opens a code fence or a tag, or is indented deeper: a sample follows."""
    stripped = following.strip()
    return stripped.startswith(("```", "~~~", "<")) or _indent(following) > _indent(own)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def question(text: str) -> bool:
    """A question rather than an instruction."""
    return text.rstrip("*_ )\"'").endswith("?")


def example_sentence(text: str) -> bool:
    """A sentence that opens an example."""
    return bool(_EXAMPLE_SENTENCE.match(text))


def markup_only(text: str) -> bool:
    """Nothing but tags, template syntax and punctuation."""
    return not _WORD.search(_TEMPLATE.sub(" ", _TAG.sub(" ", text)))


def template_logic(text: str, min_words: int) -> bool:
    """Fewer than ``min_words`` words outside template syntax and tags."""
    return len(_WORD.findall(_TEMPLATE.sub(" ", _TAG.sub(" ", text)))) < min_words


def heading_like(text: str) -> bool:
    """A short line in capitals, or a short lead-in that ends with a colon."""
    words = _WORD.findall(text)
    if _MD_INDENTED_HEADING.match(text) or (len(words) <= 8 and text.rstrip("*_ ").endswith(":")):
        return True
    if len(words) > 8 or text.rstrip("*_ ").endswith((".", "!", "?")):  # a sentence in capitals is shouted
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def key_value(text: str) -> bool:
    """A ``key: value`` or parameter-list line, unless the key is an emphasis word (``IMPORTANT:``)."""
    match = _KEY_VALUE.match(text)
    if match is None:
        return False
    key = match.group(1).strip().lower()
    return len(key.split()) <= 4 and key not in _EMPHASIS_KEYS and not key.startswith(("http", "e.g", "i.e"))


def parameter_line(line: str) -> bool:
    """A ``key: value`` line whose key is an identifier (``path``, ``linked_memory_ids``, ```mode```): every
    sentence on it documents a parameter or a field."""
    match = _KEY_VALUE.match(line)
    if match is None or not key_value(line):
        return False
    key = match.group(1).strip()
    return " " not in key and (key.islower() or "_" in key or "." in key or any(c.isupper() for c in key[1:]))


def prose(text: str) -> str:
    """The text without template syntax and tags, what PA102 reads the meaning of."""
    return " ".join(_TAG.sub(" ", _TEMPLATE.sub(" ", text)).split())


def code_like(text: str) -> bool:
    """Code outside a fence: a code keyword or listing at the start, or mostly brackets and operators."""
    if _CODE_START.match(text):
        return True
    symbols = len(_CODE_SYMBOLS.findall(text))
    return symbols >= 3 and symbols >= 0.12 * sum(c.isalpha() for c in text)


_SLOT_TOKEN = re.compile(r"`[^`\n]+`|\w+(?:[./-]\w+)*")  # `a name`, file.md, a/b, snake-case; no final full stop


def template_slot_parallel(a: str, b: str) -> bool:
    """Whether two sentences are equal but for one or two substituted content words or identifiers.

    Each change must replace at most two tokens with at most two, with a content word (not a stopword or
    negation) on both sides whose canonical forms differ: "to read" / "to modify" is a parallel item,
    "never" / "do not" is not a substitution of content. A backticked name is one token and always content
    (```page.url``` / ```await page.goto(url)```, ```max``` / ```min```).
    """
    x, y = _SLOT_TOKEN.findall(a.lower()), _SLOT_TOKEN.findall(b.lower())
    changes = [op for op in SequenceMatcher(a=x, b=y, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not 0 < len(changes) <= 2:
        return False
    return all(
        tag == "replace" and i2 - i1 <= 2 and j2 - j1 <= 2 and _substituted(x[i1:i2], y[j1:j2])
        for tag, i1, i2, j1, j2 in changes
    )


def _substituted(old: list[str], new: list[str]) -> bool:
    """Both sides carry content, and different content."""
    before = {_slot_content(w) for w in old} - {""}
    after = {_slot_content(w) for w in new} - {""}
    return bool(before) and bool(after) and before != after


def _slot_content(token: str) -> str:
    """A slot token's content: a backticked name as written, a word by the lexicon."""
    return token if token.startswith("`") else content_word(token)
