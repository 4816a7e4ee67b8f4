"""
The stars meet WCAG 1.4.11 (non-text contrast, 3:1): an empty star's outline
against the background it sits on and against a filled star, and a filled star
against the background, in the light and dark schemes and on the featured card.
"""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def variables(block):
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", block))


def schemes():
    light = variables(CSS[: CSS.index("@media (prefers-color-scheme: dark)")])
    dark_block = CSS[CSS.index("@media (prefers-color-scheme: dark)") :]
    dark = {**light, **variables(dark_block[: dark_block.index("\n}\n")])}
    featured = variables(re.search(r"\.card-featured \{ (--[^}]*)\}", CSS)[1])
    return {
        "light": (light, [light["paper"], light["paper-deep"], light["surface"]]),
        "dark": (dark, [dark["paper"], dark["paper-deep"], dark["surface"]]),
        "featured card, light": ({**light, **featured}, [light["night"]]),
        "featured card, dark": ({**dark, **featured}, [dark["night"], dark["band"]]),
    }


@pytest.mark.parametrize("scheme", list(schemes()))
def test_empty_and_filled_stars_meet_three_to_one(scheme):
    colours, backgrounds = schemes()[scheme]
    empty, gold = colours["star-empty"], colours["gold"]
    for background in backgrounds:
        assert contrast(empty, background) >= 3, (scheme, "empty on", background)
        assert contrast(gold, background) >= 3, (scheme, "filled on", background)
    assert contrast(empty, gold) >= 3, (scheme, "empty against filled")


def test_an_empty_star_is_an_outline():
    rule = re.search(r"\.star \{([^}]*)\}", CSS)[1]
    assert "color: transparent" in rule and "text-stroke" in rule and "--star-empty" in rule
