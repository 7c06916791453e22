"""YAML loading for untrusted files: safe tags only, bounded aliases and depth, duplicate keys refused.

``yaml.safe_load`` already refuses tags that would run code. On top of it we refuse documents whose
aliases expand past a million values (a "billion laughs" file expands to gigabytes when walked), nest absurdly deep, or
repeat a mapping key (YAML says keys are unique; PyYAML would silently keep the last one).
"""

from __future__ import annotations

import yaml

MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 64

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ValueError):
    """A YAML document that cannot be loaded; the message names the place."""


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that rejects duplicate mapping keys."""


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader, node, deep=False):
    """Keys written twice in one mapping are refused; keys a merge (``<<: *base``) brings in may be overridden."""
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:
            raise YamlError(f"{_at(key_node.start_mark)}: a mapping key must be a plain value") from None
        if duplicate:
            raise YamlError(f"{_at(key_node.start_mark)}: duplicate key {key!r}")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _construct_int(loader, node):
    """An integer; past Python's digit limit it is infinite, so bounds checks refuse it with a clear message."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        return float("-inf") if str(node.value).startswith("-") else float("inf")


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _expanded_size(node, depth: int = 0, memo: dict | None = None) -> int:
    """Nodes the document would have once aliases are expanded; shared nodes are counted each time."""
    memo = {} if memo is None else memo
    if depth > MAX_DEPTH:
        raise YamlError(f"{_at(node.start_mark)}: nested deeper than {MAX_DEPTH} levels; refused")
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    size = 1 + sum(_expanded_size(child, depth + 1, memo) for child in children)
    memo[id(node)] = size
    return size


def load_yaml(text: str):
    """Parse one YAML document safely, or raise YamlError with the line and reason."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_EXPANDED_NODES:
            raise YamlError(
                f"line 1, column 1: expands to more than {MAX_EXPANDED_NODES:,} values through aliases; refused"
            )
        return loader.construct_document(node)
    except YamlError:
        raise
    except yaml.constructor.ConstructorError as exc:
        raise YamlError(_describe(exc, "unsupported or unsafe tag")) from None
    except yaml.YAMLError as exc:
        raise YamlError(_describe(exc, "invalid YAML")) from None
    except RecursionError:
        raise YamlError(f"line 1, column 1: nested deeper than {MAX_DEPTH} levels; refused") from None
    finally:
        loader.dispose()


def _at(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _describe(exc: yaml.YAMLError, fallback: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or fallback
    where = f"{_at(mark)}: " if mark is not None else "line 1, column 1: "
    return f"{where}{problem}"
