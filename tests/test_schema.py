"""The JSON Schema of `deckprint schema` says every rule JSON Schema can express, as
`validate` does: it reports each problem of a bad deck that is such a rule, at its
place, and nothing else; it accepts the bundled and the good decks; and its patterns
read the same in JavaScript (the editors' yaml-language-server) as in Python.

Which bad deck's problems the schema can express is data beside the bad decks
(tests/bad_decks/schema-classes.txt): a new bad deck fails here until it is classified.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from conftest import DECKS, ROOT, run
from deckprint import model
from deckprint.countries import resolve_country
from deckprint.deckfile import format_path, read_deck_file
from deckprint.errors import DeckError
from deckprint.labels import LABELS
from deckprint.load import load_deck
from deckprint.schema import accepted_countries

jsonschema = pytest.importorskip("jsonschema")

BAD = ROOT / "tests" / "bad_decks"
GOOD = ROOT / "tests" / "good_decks"
CLASSES = BAD / "schema-classes.txt"


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: YAML 1.2 has no dates, so a date
    stays text (the schema's "format": "date")."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def editor_data(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)


@lru_cache(maxsize=None)
def schema() -> dict:
    result = run("schema")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def schema_errors(data) -> list:
    return list(jsonschema.Draft202012Validator(schema()).iter_errors(data))


def reported_paths(data) -> set[str]:
    """The places the schema reports, named as deckprint names them (cards[0].source.url):
    an unknown key at the key, a bad mapping key at the key, the rest at the value; in
    an anyOf (an optional value), at the errors of the branch that is not null."""
    paths: set[str] = set()

    def visit(error) -> None:
        if error.context:
            for sub in error.context:
                if not (sub.validator == "type" and sub.validator_value == "null"):
                    visit(sub)
            return
        at = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            paths.update(format_path(at + (key,)) for key in error.instance if key not in known)
        elif "propertyNames" in error.schema_path:
            paths.add(format_path(at + (error.instance,)))
        else:
            paths.add(format_path(at))

    for error in schema_errors(data):
        visit(error)
    return paths


def classes() -> dict[str, tuple[str, set[int], str]]:
    """name → (class, numbers of .expected lines only validate checks, why)."""
    out = {}
    for line in CLASSES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, kind, *why = line.split(maxsplit=2)
            reason = why[0] if why else ""
            excepted = re.match(r"except ([\d,]+): ", reason)
            out[name] = (kind, {int(n) for n in excepted[1].split(",")} if excepted else set(), reason)
    return out


def of_class(kind: str) -> list[str]:
    return sorted(name for name, (k, _, _) in classes().items() if k == kind)


def test_every_bad_deck_is_classified() -> None:
    assert set(classes()) == {p.stem for p in BAD.glob("*.yaml")}
    for name, (kind, excepted, why) in classes().items():
        assert kind in ("schema", "validate", "yaml"), name
        assert why or (kind == "schema" and not excepted), f"{name}: say why"
    assert len(of_class("schema")) >= 15 and len(of_class("validate")) >= 5


@pytest.mark.parametrize("name", of_class("schema"))
def test_schema_reports_every_problem_it_can_express(name: str, monkeypatch) -> None:
    _, validate_only, _ = classes()[name]
    monkeypatch.chdir(BAD)  # messages name the file as the .expected does
    with pytest.raises(DeckError) as failure:
        load_deck(Path(f"{name}.yaml"))
    problems = failure.value.problems
    assert [str(p) for p in problems] == (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    reported = reported_paths(editor_data(BAD / f"{name}.yaml"))
    for number, problem in enumerate(problems, 1):
        if number in validate_only:
            assert problem.path not in reported, f"line {number} is schema-expressible after all: {problem}"
        else:
            assert problem.path in reported, f"the schema misses line {number}: {problem}"
    assert reported <= {p.path for p in problems}, "the schema flags what validate accepts"


@pytest.mark.parametrize("name", of_class("validate"))
def test_schema_accepts_a_deck_whose_problems_only_validate_sees(name: str) -> None:
    assert run("validate", str(BAD / f"{name}.yaml")).exit_code == 1
    assert schema_errors(editor_data(BAD / f"{name}.yaml")) == []


@pytest.mark.parametrize("name", of_class("yaml"))
def test_the_yaml_reader_refuses_the_yaml_class(name: str) -> None:
    try:
        raw = read_deck_file(BAD / f"{name}.yaml")
    except DeckError:
        return
    assert raw.problems


def good_decks(tmp: Path) -> list[Path]:
    """The bundled decks, tests/good_decks, `deckprint new`'s starter, the README's."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    minimal = re.search(r"A\s+minimal card:\n\n```yaml\n(.*?)```", readme, re.S)[1]
    (tmp / "readme.yaml").write_text(minimal, encoding="utf-8")
    assert run("new", str(tmp / "starter.yaml")).exit_code == 0
    return sorted(DECKS.glob("*.yaml")) + sorted(GOOD.glob("*.yaml")) + [tmp / "readme.yaml", tmp / "starter.yaml"]


def test_schema_accepts_the_good_decks(tmp_path: Path) -> None:
    decks = good_decks(tmp_path)
    assert len(decks) >= 6
    for deck in decks:
        assert run("validate", str(deck)).exit_code == 0, deck
        assert schema_errors(editor_data(deck)) == [], deck


# -- each value's rule, at its edges ----------------------------------------------------

BASE = {"deckprint": 1,
        "deck": {"id": "edge", "title": "Edges", "language": "en", "source": {"url": "https://example.org/"}},
        "categories": {"k": {"label": "K", "color": "#000000"}},
        "cards": [{"name": "A", "role": "R", "country": "FR", "testimony": "T.", "conditions": ["c"]}]}
TEXT = ["x", "", "  ", "a\u0007b", "tab\there", "two\nlines", "\u2028", "\u00a0", "\u200b", "x" * 5000, "x" * 5001]
EDGES: dict[tuple, list] = {
    ("deck", "id"): ["a", "a-b", "a1", "a--b", "-a", "a-", "A", "a_b", "é", "a" * 64, "a" * 65, ""],
    ("deck", "title"): TEXT,
    ("cards", 0, "conditions", 0): TEXT,
    ("deck", "language"): ["fr", "en", "EN", "fr-CA", "en_GB", "fr-", "de", "f", "french", "fr CA", " fr", ""],
    ("deck", "card"): ["tarot", "TAROT", " poker ", "taro", "70x110 mm", "70 × 110 MM", "70,5x110.25mm",
                       "29.9x100 mm", "30x100 mm", "030x100 mm", "300x300 mm", "300.0x30,0 mm",
                       "300.1x100 mm", "1000x1000 mm", "70x110", "70x110 cm", "x110 mm", ""],
    ("categories", "k", "color"): ["#fff", "#FFFFFF", " #abcdef ", "#ffff", "#ggg", "cmyk(0,0,0,100)",
                                   "CMYK(100%, 0%, 0%, 0%)", "cmyk(0, 100.0, .5, 5.)", "cmyk(0, 100.1, 0, 0)",
                                   "cmyk(0, 0, 0)", "cmyk(., 0, 0, 0)", "cmyk(1.2.3, 0, 0, 0)", "rgb(0,0,0)"],
    ("deck", "source", "url"): [
        "https://example.org", "HTTP://EXAMPLE.ORG/", " https://example.org/a?b=c#d ", "http://example.org:",
        "http://example.org:0080/", "http://example.org:65535/", "https://example.org:65536/",
        "https://example.org:8o/", "https://example.org:80:90/", "https://[::1]:8080/", "https://[::1/",
        "https://exämple.org/é", "https://example.org/a b", "https://exa\u0007mple.org", "mailto:a@example.org",
        "javascript:alert(1)", "https://user@example.org/", "https://:pw@example.org/", "https://", "https:///x",
        "https://:80/", "example.org", "//example.org", "https://example.org/" + "a" * 1980,
        "https://example.org/" + "a" * 1981],
    ("deck", "back", "image"): ["a.png", "dir/a.png", " ./a.png ", "..a.png", "a/..b.png", "/a.png",
                                "\\a.png", "C:a.png", "c:/a.png", "a/../b.png", "a\\..\\b.png", "..",
                                " ../a.png", "a/.. ", "", "  "],
    ("deck", "font"): ["Noto Sans", "Noto-Sans_2", " Noto", "Noto/Sans", "N" * 64, "N" * 65],
    ("workshop", "duration"): [1, 1440, 0, 1441, -5],
}


def edge_cases() -> list[tuple[tuple, object]]:
    return [(path, value) for path, values in EDGES.items() for value in values]


def with_value(path: tuple, value: object) -> dict:
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    if isinstance(node, list) and path[-1] == len(node):
        node.append(value)
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize("path, value", edge_cases(), ids=lambda x: repr(x)[:40])
def test_schema_and_validate_agree_on_each_value(path: tuple, value: object) -> None:
    """The rule of one value (pydantic's validators in model.py) and its JSON Schema form."""
    from pydantic import ValidationError

    data = with_value(path, value)
    try:
        model.DeckFile.model_validate(data)
        validate_refuses = False
    except ValidationError as exc:
        locs = {tuple(p for p in e["loc"] if p != "[key]") for e in exc.errors()}
        assert locs == {path}, exc
        validate_refuses = True
    assert (format_path(path) in reported_paths(data)) == validate_refuses


# -- country names --------------------------------------------------------------------------

def country_regex(language: str) -> re.Pattern:
    for rule in schema()["allOf"]:
        condition = rule["if"]["properties"]["deck"].get("properties", {})
        if "language" in condition and re.search(condition["language"]["pattern"], language):
            return re.compile(rule["then"]["properties"]["cards"]["items"]["properties"]["country"]["pattern"])
    raise AssertionError(f"no country rule for {language}")


def spellings(name: str) -> list[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    no_punctuation = re.sub(r"[^\w\s]", "", name)
    return [name, name.upper(), name.lower(), bare, no_punctuation, f"  {name} "]


@pytest.mark.parametrize("language", list(LABELS))
def test_schema_reads_the_country_names_validate_reads(language: str) -> None:
    codes, names = accepted_countries(language)
    assert len(codes) > 240 and len(names) > len(codes)
    regex = country_regex(language)
    for spelling in [c for code in codes for c in (code, code.lower(), f" {code} ")] + [
            s for name in names for s in spellings(name)]:
        resolve_country(spelling, language)  # validate reads it
        assert regex.search(spelling), (language, spelling)
    for typo in ("Chinaa", "Frence", "Atlantis", "XX", "C", "CHN", "Corée", "Korea", ""):
        with pytest.raises(ValueError):
            resolve_country(typo, language)
        assert not regex.search(typo), (language, typo)


def test_a_country_in_another_language_is_for_validate_and_schema_alike() -> None:
    assert not country_regex("en").search("Chine") and country_regex("fr").search("Chine")
    with pytest.raises(ValueError):
        resolve_country("Chine", "en")


# -- the same patterns in JavaScript ------------------------------------------------------------

def patterns(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(patterns(v) for v in node))
    return set()


def strings(node) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, dict):
        return set(node).union(*(strings(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(strings(v) for v in node))
    return set()


JS = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.patterns.map(p => { const r = new RegExp(p, "u"); return input.strings.map(s => r.test(s)); });
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node (JavaScript, as editors run it) not installed")
def test_patterns_mean_the_same_in_javascript(tmp_path: Path) -> None:
    """Python's and JavaScript's regexes differ (\\d, \\s, $ and more): the schema's
    patterns must say the same in both, on every value the tests use."""
    found = sorted(patterns(schema()))
    samples = {v for _, v in edge_cases() if isinstance(v, str)}
    for deck in good_decks(tmp_path) + sorted(BAD.glob("*.yaml")):
        if classes().get(deck.stem, ("",))[0] != "yaml":
            samples |= strings(editor_data(deck))
    samples |= {s for name in accepted_countries("fr")[1] for s in spellings(name)}
    samples = sorted(samples)
    done = subprocess.run(["node", "-e", JS], input=json.dumps({"patterns": found, "strings": samples}),
                          capture_output=True, text=True, check=True)
    javascript = json.loads(done.stdout)
    assert len(found) >= 10
    for pattern, in_js in zip(found, javascript):
        python = re.compile(pattern)
        differ = [s for s, js in zip(samples, in_js) if bool(python.search(s)) != js]
        assert not differ, (pattern[:80], differ[:5])
