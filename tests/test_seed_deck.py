"""The bundled decks against the seed texts they were written from.

decks/travailleurs-ia.yaml must carry every persona of the French seed
(002_*.txt), in seed order, with every working-condition bullet and every
extra note, tidied but not altered; card 21 is Sonia (from the article,
000_*.txt). decks/ai-workers.yaml is its English translation: same cards,
same categories, same colours.

Uses only pyyaml and the standard library.
"""

import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "decks"
FR_DECK = DECKS / "travailleurs-ia.yaml"
EN_DECK = DECKS / "ai-workers.yaml"


def _seeds_dir():
    default = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if default.is_dir():
        return default
    env = os.environ.get("DECKPRINT_SEEDS")
    if env and Path(env).is_dir():
        return Path(env)
    return None


SEEDS = _seeds_dir()
if SEEDS is None:
    pytest.skip(
        "seed texts not found (../shared/seeds or $DECKPRINT_SEEDS)",
        allow_module_level=True,
    )


# --------------------------------------------------------------------------
# Normalisation: what tidying the deck may do to the seed's wording.
# --------------------------------------------------------------------------

# Spelling mistakes in the seed that the deck corrects; applied to the seed
# side only. Keep this list short and explicit.
SEED_TYPO_FIXES = {
    "des grands entreprises": "des grandes entreprises",  # Sana
    "non rémunération": "non-rémunération",  # Kim
}


def normalise(text):
    """Compare form of a bullet or note.

    - "*" (italic/bold marks) and "=" (a typing accident) are dropped;
    - "\\" (an escaped "$" in the seed) becomes a space: "1,50\\$" -> "1,50 $";
    - a closing ")" with no opening one (the "=forte concentration)"
      accident) is dropped;
    - whitespace is collapsed, a trailing "." is dropped, case is ignored.
    """
    s = text.replace("*", "").replace("=", "").replace("\\", " ")
    if s.count(")") > s.count("("):
        i = s.rfind(")")
        s = s[:i] + s[i + 1:]
    s = " ".join(s.split())
    s = s.rstrip(".").rstrip()
    return s.casefold()


def normalise_seed(text):
    s = normalise(text)
    for wrong, right in SEED_TYPO_FIXES.items():
        s = s.replace(wrong, right)
    return s


# --------------------------------------------------------------------------
# Seed parsing
# --------------------------------------------------------------------------

NAME_RE = re.compile(r"^\s*(?:###\s+(?P<h>.+?)|\*\*(?P<b>[^*]+)\*\*)\s*$")


def parse_personas(text):
    """Personas of the 002 seed, in order.

    A persona starts at a "### Name" or "**Name**" line. Its remaining lines
    form paragraphs (blank-line separated): role, country, testimony, then
    the bullet list ("- " lines), then an optional extra note.
    """
    personas = []
    current = None
    for line in text.splitlines():
        m = NAME_RE.match(line)
        if m:
            current = {"name": (m.group("h") or m.group("b")).strip(), "lines": []}
            personas.append(current)
        elif current is not None:
            current["lines"].append(line)

    for p in personas:
        paragraphs, para = [], []
        for line in p.pop("lines"):
            if line.strip():
                para.append(line.strip())
            elif para:
                paragraphs.append(para)
                para = []
        if para:
            paragraphs.append(para)

        bullets, before, after = [], [], []
        for para in paragraphs:
            items = [l[2:] for l in para if l.startswith("- ")]
            if items:
                assert len(items) == len(para), f"{p['name']}: mixed bullet paragraph {para}"
                bullets.extend(items)
            elif bullets:
                after.append(" ".join(para))
            else:
                before.append(" ".join(para))
        p["bullets"] = bullets
        p["note"] = " ".join(after) or None
        p["head"] = before  # role, country, testimony
    return personas


def _one(pattern):
    found = sorted(SEEDS.glob(pattern))
    assert found, f"no {pattern} in {SEEDS}"
    return found[0]


@pytest.fixture(scope="module")
def personas():
    text = _one("002_*.txt").read_text(encoding="utf-8")
    return parse_personas(text)


@pytest.fixture(scope="module")
def fr():
    return yaml.safe_load(FR_DECK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def en():
    return yaml.safe_load(EN_DECK.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# The French deck against the seed
# --------------------------------------------------------------------------


def test_seed_parses_to_twenty_personas(personas):
    assert len(personas) == 20, [p["name"] for p in personas]
    for p in personas:
        assert p["bullets"], f"{p['name']}: no bullets parsed"
        assert len(p["head"]) == 3, f"{p['name']}: expected role, country, testimony: {p['head']}"


def test_persona_names_in_seed_order(personas, fr):
    names = [c["name"] for c in fr["cards"]]
    assert names[: len(personas)] == [p["name"] for p in personas]


def test_card_21_is_sonia(personas, fr):
    cards = fr["cards"]
    assert len(cards) == len(personas) + 1 == 21
    assert cards[20]["name"] == "Sonia"
    assert cards[20].get("id", "sonia") == "sonia"


def test_every_condition_bullet_present(personas, fr):
    cards = {c["name"]: c for c in fr["cards"]}
    for p in personas:
        assert p["name"] in cards, f"persona {p['name']} has no card"
        card = cards[p["name"]]
        have = [normalise(c) for c in card.get("conditions") or []]
        want = [normalise_seed(b) for b in p["bullets"]]
        missing = [b for b, w in zip(p["bullets"], want) if w not in have]
        assert not missing, f"{p['name']}: conditions missing from the deck: {missing}"
        assert have == want, f"{p['name']}: conditions differ in order or have extras"


def test_every_note_is_the_impact(personas, fr):
    cards = {c["name"]: c for c in fr["cards"]}
    for p in personas:
        assert p["name"] in cards, f"persona {p['name']} has no card"
        impact = cards[p["name"]].get("impact")
        if p["note"] is None:
            assert impact is None, f"{p['name']}: impact without a note in the seed"
        else:
            assert impact, f"{p['name']}: seed note missing: {p['note']!r}"
            assert normalise(impact) == normalise_seed(p["note"]), p["name"]


# --------------------------------------------------------------------------
# The two decks together
# --------------------------------------------------------------------------


def test_decks_match(fr, en):
    assert len(fr["cards"]) == len(en["cards"])
    assert list(fr["categories"]) == list(en["categories"])
    for key in fr["categories"]:
        assert fr["categories"][key]["color"] == en["categories"][key]["color"], key
    for a, b in zip(fr["cards"], en["cards"]):
        assert a["name"] == b["name"]
        assert a.get("category") == b.get("category"), a["name"]
        assert len(a.get("conditions") or []) == len(b.get("conditions") or []), a["name"]
        assert ("impact" in a) == ("impact" in b), a["name"]


def test_every_card_has_a_known_category(fr, en):
    for deck in (fr, en):
        for card in deck["cards"]:
            assert card.get("category") in deck["categories"], card["name"]


def _channel(c8):
    c = c8 / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour):
    """WCAG 2 relative luminance of an sRGB "#RRGGBB" colour."""
    m = re.fullmatch(r"#([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})", hex_colour)
    assert m, f"not a #RRGGBB colour: {hex_colour!r}"
    r, g, b = (_channel(int(x, 16)) for x in m.groups())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b):
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_luminance_reference_values():
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("deck_path", [FR_DECK, EN_DECK], ids=lambda p: p.stem)
def test_white_text_contrast(deck_path):
    deck = yaml.safe_load(deck_path.read_text(encoding="utf-8"))
    for key, cat in deck["categories"].items():
        ratio = contrast_ratio("#FFFFFF", cat["color"])
        assert ratio >= 4.5, f"{key} {cat['color']}: white text contrast {ratio:.2f} < 4.5"
