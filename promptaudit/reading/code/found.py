"""What the scan of one module finds: SDK calls, LangChain templates and prompt constants."""

from __future__ import annotations

from dataclasses import dataclass, field

from promptaudit.reading.code.text import Text


@dataclass(frozen=True)
class ScanSettings:
    """The ``python:`` config section: which constant names hold prompts, and how short a prompt can be."""

    prompt_names: tuple[str, ...] = ("PROMPT", "_SYSTEM", "INSTRUCTIONS")
    min_words: int = 4


@dataclass(frozen=True)
class Message:
    """One text the provider receives, in order: a system block, a message (or content block), a tool."""

    role: str
    """``system``, ``developer``, ``user``, ``assistant``, ``tool``, or ``*`` for messages only known at run time."""
    text: Text
    kind: str = "message"
    """``system``, ``message`` or ``tool`` (as :class:`promptaudit.reading.prompts.Part` kinds)."""
    index: int | None = None
    """Which message of the request this text belongs to (content blocks share one)."""
    cache_breakpoint: str | None = None
    templated: bool = True


@dataclass
class CallSite:
    """An SDK call: what it sends, to which model, with which output cap, and in what context.

    A call whose texts the scan cannot read (``create(**kwargs)`` built elsewhere, ``messages=history``) keeps
    no messages: it is still reported, its prompt "built at run time"."""

    api: str
    provider: str
    generates: bool
    path: str
    line: int
    column: int
    model: str | None = None
    """The model as written (a literal, a constant, or an ``os.getenv`` default), else None."""
    cap: int | None = None
    capped: bool = False
    """True when the call states an output cap (even one whose value is only known at run time)."""
    messages: list[Message] = field(default_factory=list)
    loop_line: int | None = None
    """Line of the loop over data this call runs in, once per item (a Batch API candidate)."""
    latency_bound: bool = False
    """Streaming, or inside a web request handler: someone is waiting for the reply."""
    batched: bool = False
    """The module submits Batch API jobs already."""

    @property
    def short_name(self) -> str:
        """``chat.completions.create@12``: how reports name the prompt this call sends."""
        return f"{self.api.split('.', 1)[1]}@{self.line}"


@dataclass
class Template:
    """A LangChain ``PromptTemplate`` / ``ChatPromptTemplate``, a few-shot message list kept in a prompt class or
    module (``python.messages``), or a framework object holding a system prompt (``framework.Agent``)."""

    api: str
    path: str
    line: int
    column: int
    messages: list[Message] = field(default_factory=list)
    name: str | None = None
    """How reports name it when ``api`` does not say (``EditBlockPrompts.example_messages``)."""
    model: str | None = None
    """The model a framework object names (``Agent(model="gpt-4o-mini", instructions=...)``), else None."""
    cap: int | None = None


@dataclass
class Constant:
    """A prompt-named module or class constant (``SYSTEM_PROMPT = "..."``)."""

    name: str
    text: Text

    @property
    def line(self) -> int:
        return self.text.line

    @property
    def column(self) -> int:
        return self.text.column


@dataclass
class Scan:
    """Everything found in one module."""

    path: str
    calls: list[CallSite] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    constants: list[Constant] = field(default_factory=list)

    def units(self) -> list[Text]:
        """Every prompt text found, once per place it is written (a constant sent by two calls is one)."""
        seen, found = set(), []
        texts = [m.text for site in [*self.calls, *self.templates] for m in site.messages if m.kind != "tool"]
        texts += [c.text for c in self.constants]
        for text in texts:
            key = (text.path, text.line, text.column)
            if text.has_static and key not in seen:
                seen.add(key)
                found.append(text)
        return found
