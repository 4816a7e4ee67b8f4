"""
Every stylesheet we ship closes each rule it opens: a brace lost in a merge makes
the browser read every rule after it as nested, and silently ignore them.
"""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.parametrize("path", sorted(STATIC.rglob("*.css")), ids=lambda p: p.name)
def test_each_rule_is_closed(path):
    text = re.sub(
        r"/\*.*?\*/", lambda c: "\n" * c.group().count("\n"), path.read_text(), flags=re.S
    )
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{path.name}:{number} closes a rule it never opened"
        # Outside @media and @supports, a new rule starts at depth 0.
        if re.match(r"^[.#a-zA-Z*:\[]", line) and "{" in line:
            assert depth - line.count("{") + line.count("}") == 0 or _inside_at_rule(
                text, number
            ), f"{path.name}:{number} starts inside a rule left open above it"
    assert depth == 0, f"{path.name} leaves {depth} rule(s) open"


def _inside_at_rule(text, number):
    """Whether line ``number`` sits in an @media/@supports/@layer block."""
    stack = []
    for line in text.splitlines()[: number - 1]:
        for char in line:
            if char == "{":
                stack.append(line.lstrip().startswith("@"))
            elif char == "}" and stack:
                stack.pop()
    return bool(stack) and all(stack)
