"""Every tag the feature files use is explained in features/glossary.md, and the glossary explains
no tag that nothing uses (STYLE.md: "every tag the suite uses" is defined once there)."""
import re
from pathlib import Path

from behave.parser import parse_file

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = (ROOT / "features" / "glossary.md").read_text(encoding="utf-8")


def glossary_tags() -> set[str]:
    """`@negative` -> negative; `@allure.severity:<level>` -> allure.severity:"""
    return {re.sub(r"<[^>]+>$", "", t) for t in re.findall(r"^\| `@([^`]+)` \|", GLOSSARY, re.M)}


def used_tags() -> set[str]:
    found = set()
    for path in (ROOT / "features").rglob("*.feature"):
        feature = parse_file(str(path))
        nodes = [feature, *feature.rules]
        for container in [feature, *feature.rules]:
            for scenario in container.scenarios:
                nodes.append(scenario)
                nodes.extend(getattr(scenario, "examples", []))
        for node in nodes:
            for tag in node.tags:
                found.add(tag.split(":", 1)[0] + ":" if ":" in tag else str(tag))
    return found


def test_every_tag_used_is_in_the_glossary():
    assert used_tags() - glossary_tags() == set()


def test_the_glossary_explains_only_tags_in_use():
    assert glossary_tags() - used_tags() == set()
