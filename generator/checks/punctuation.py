"""Full-width punctuation in Chinese sentences (，。：；（）！？), as GB/T 15834 and the project's style
ask: the check behind the JL380 warning for contributors' text and the test that keeps our own text
(templates, docs, sample data) clean.

autocorrect (autocorrect-py, the field's linter for CJK copywriting) converts commas, colons, full
stops, question and exclamation marks after Chinese characters; its spacing rules are turned off (the
project writes "共 93 项" with spaces, "AI技术" either way). What it leaves is added here: parentheses
around or next to Chinese text, semicolons and colons before digits after Chinese, and a comma after a
closing parenthesis. Code spans, URLs, Markdown link targets and placeholders are never touched.
"""

from __future__ import annotations

import io
import re
import tokenize

import autocorrect_py

autocorrect_py.load_config("""rules:
  space-word: 0
  space-punctuation: 0
  space-bracket: 0
  space-backticks: 0
  space-dash: 0
  space-dollar: 0
  no-space-fullwidth: 0
  no-space-fullwidth-quote: 0
  halfwidth-word: 0
  halfwidth-punctuation: 0
  spellcheck: 0
""")

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAS_CJK = re.compile(f"[{CJK}]")
HALF_WIDTH = re.compile(r"[!,.:;?()]")  # all the rules below (and autocorrect's, as configured) ever change
HOLE = "\ue000"  # stands for a protected span: neutral text the rules see through
_PROTECT = re.compile(r"`[^`\n]*`|https?://[^\s)）\]>\"']+|\]\([^)\s]*\)|[\w.+-]+@[\w-]+\.[\w.-]+|\ue000")
_PAREN = re.compile(r"(?<![\](])\(([^()\n]{0,120})\)")
_SEMICOLON = re.compile(f"(?<=[{CJK}）])\\s?;|;(?=[{CJK}“])")
_COLON_BEFORE = re.compile(f"(?<=\\S):(?=[{CJK}“])")
_COLON_DIGIT = re.compile(f"(?<=[{CJK}]):(?=[\\d\ue000])")
_COMMA_AFTER_PAREN = re.compile(f"(?<=[^\\s,]),(?=[{CJK}“])")
_END_COMMA = re.compile(f"(?<=[{CJK}])([,:;!?])$")


def _rules(text: str) -> str:
    text = autocorrect_py.format(text)

    def chinese(c: str) -> bool:  # a protected span next to Chinese text reads as part of it
        return bool(c) and (c == HOLE or bool(HAS_CJK.match(c)))

    def paren(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        code_like = before.isascii() and before.isalnum()  # f(x), iPhone(s): unless Chinese follows
        if HAS_CJK.search(m.group(1)) or chinese(after) or (chinese(before) and not code_like):
            return f"（{m.group(1)}）"
        return m.group(0)

    text = _PAREN.sub(paren, text)
    text = _SEMICOLON.sub("；", text)
    text = _COLON_DIGIT.sub("：", text)
    text = _COLON_BEFORE.sub("：", text)
    text = _COMMA_AFTER_PAREN.sub("，", text)
    return _END_COMMA.sub(lambda m: {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}[m.group(1)], text)


def fix(text: str) -> str:
    """`text` with full-width punctuation where it sits in Chinese; unchanged when it has no Chinese or no
    half-width punctuation (most contributed text, skipped without running the rules)."""
    if not HALF_WIDTH.search(text) or not HAS_CJK.search(text):
        return text
    kept: list[str] = []

    def hole(m: re.Match) -> str:
        kept.append(m.group(0))
        return HOLE

    fixed = _rules(_PROTECT.sub(hole, text))
    pieces = iter(kept)
    return re.sub(HOLE, lambda _: next(pieces), fixed)


def differences(text: str, context: int = 6) -> list[tuple[str, str]]:
    """Where `fix` changes `text`: (what is written, what it should be), each with a little context."""
    fixed = fix(text)
    if fixed == text:
        return []
    out: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    if len(fixed) == len(text):
        i = 0
        while i < len(text):
            if text[i] != fixed[i]:
                j = i
                while j < len(text) and text[j] != fixed[j]:
                    j += 1
                lo, hi = max(0, i - context), min(len(text), j + context)
                if out and lo <= spans[-1][1]:  # overlapping context: one finding
                    lo = spans.pop()[0]
                    out.pop()
                spans.append((lo, hi))
                out.append((text[lo:hi], fixed[lo:hi]))
                i = j
            else:
                i += 1
        return out
    return [(text, fixed)]


_MARKUP = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>", re.S)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M)
_YAML_KEY = re.compile(r"^(\s*(?:-\s+)?(?:[A-Za-z_][\w-]*|\"[^\"]*\"):(?:\s+[|>][-+]?)?\s*|\s*-\s+|\s*#.*$)")


def _through(text: str, skip: re.Pattern) -> str:
    """`fix` on the text between the spans `skip` matches, which stay as they are and count as neutral."""
    kept: list[str] = []

    def hole(m: re.Match) -> str:
        kept.append(m.group(0))
        return HOLE

    fixed = "\n".join(fix(line) for line in skip.sub(hole, text).split("\n"))
    pieces = iter(kept)
    return re.sub(HOLE, lambda _: next(pieces), fixed)


def fix_markup(text: str) -> str:
    """A Jinja/HTML template: only the text between tags, template statements and scripts."""
    return _through(text, _MARKUP)


_YAML_FENCE = re.compile(r"^[ \t]*(```|~~~)ya?ml\n(.*?)^[ \t]*\1[^\n]*$", re.S | re.M)


def fix_markdown(text: str) -> str:
    """A Markdown page: the prose (inline code and links are protected by `fix`) and the YAML examples
    (sample data, as `fix_yaml`); other fenced code stays as it is."""
    text = _YAML_FENCE.sub(lambda m: m.group(0).replace(m.group(2), fix_yaml(m.group(2)), 1), text)
    return _through(text, re.compile(_FENCE.pattern + r"|<[^>]*>", re.S | re.M))


_FLOW = re.compile(r"(\s*[\[\]{}]\s*|,\s+|(?<=[\w\"])\s*:\s+)")


def fix_yaml(text: str) -> str:
    """A YAML file, line by line: the values, never the keys, list markers, comments or the commas and
    colons of flow collections (`[a, b]`, `{label: x, value: 1}`)."""
    out = []
    for line in text.split("\n"):
        m = _YAML_KEY.match(line)
        head = m.group(0) if m else ""
        value = line[len(head):]
        if value.startswith(("[", "{")):
            value = "".join(part if _FLOW.fullmatch(part) else fix(part) for part in _FLOW.split(value))
        else:
            value = fix(value)
        out.append(head + value)
    return "\n".join(out)


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?:[^{}\n]|\{[^{}\n]*\})*\}|%[sdr]")


def fix_python(text: str) -> str:
    """Python source: the string literals that hold Chinese (messages, labels), never docstrings (English,
    for developers), raw strings (patterns) or the `{…}` fields of f-strings and format strings (code)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL)]
    for before, token, after in zip([None, *tokens], tokens, [*tokens[1:], None]):
        if token.type != tokenize.STRING or not HAS_CJK.search(token.string):
            continue
        statement = (before is None or before.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)) \
            and (after is None or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER))
        if statement:  # a docstring
            continue
        prefix = re.match(r"[A-Za-z]*", token.string).group(0)
        if "r" in prefix.lower():
            continue
        quote = token.string[len(prefix):len(prefix) + 3]
        quote = quote if quote in ('"""', "'''") else quote[0]
        body = token.string[len(prefix) + len(quote):-len(quote)]
        fixed = _through(body, _PLACEHOLDER)
        if fixed != body:
            start = starts[token.start[0] - 1] + token.start[1]
            end = starts[token.end[0] - 1] + token.end[1]
            edits.append((start, end, prefix + quote + fixed + quote))
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


_JSON_PROSE = re.compile(r'^(\s*"(?:title|description)":\s*")((?:[^"\\]|\\.)*)(")', re.M)


def fix_json(text: str) -> str:
    """A JSON Schema: the `title` and `description` texts, never patterns, identifiers or keys."""
    return _JSON_PROSE.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), text)
