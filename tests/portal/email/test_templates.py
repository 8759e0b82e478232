"""Every kind of email the portal writes is named in the specification's catalogue of kinds
(support/drivers/email_delivery.py KINDS), and every kind there is one the portal has."""
from importlib import resources

from support.drivers.email_delivery import KINDS


def portal_templates() -> set[str]:
    folder = resources.files("portal.email") / "templates"
    return {f.name.removesuffix(".subject.txt") for f in folder.iterdir() if f.name.endswith(".subject.txt")}


def test_every_template_has_its_three_parts():
    folder = resources.files("portal.email") / "templates"
    names = {f.name for f in folder.iterdir()}
    for template in portal_templates():
        assert {f"{template}.subject.txt", f"{template}.txt", f"{template}.html"} <= names


def test_the_specification_names_every_kind_of_email_and_only_those():
    specified = set(KINDS.values()) - {"share_notification"}  # written by the sharing feature's own fixture
    assert specified == portal_templates()
