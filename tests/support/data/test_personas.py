import pytest

from support.data.personas import GLOSSARY, GlossaryError, Organisation, glossary, organisation, parse_glossary, persona

ORGANISATIONS = """
## Organisations

| Organisation      | Kind   | Email domain        |
|-------------------|--------|---------------------|
| Northlight Studio | studio | northlight.example  |
| Brightside Agency | agency | brightside.example  |
"""

PERSONAS_HEAD = """
## Personas

| Persona | Role     | Organisation      | Account   | Who they are |
|---------|----------|-------------------|-----------|--------------|
"""


def doc(*persona_rows: str, organisations: str = ORGANISATIONS) -> str:
    return "# Glossary\n" + organisations + PERSONAS_HEAD + "\n".join(persona_rows) + "\n\n## Terms\n\n- x\n"


# --- the real glossary ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_the_real_glossary_has_the_organisations(real):
    assert real.organisations["Northlight Studio"] == Organisation("Northlight Studio", "studio", "northlight.example")
    assert real.organisations["Brightside Agency"] == Organisation("Brightside Agency", "agency", "brightside.example")
    assert real.organisations["Brightside Agency"].slug == "brightside-agency"


def test_ada_is_the_studio_admin(real):
    ada = real.personas["Ada"]
    assert (ada.role, ada.account, ada.has_account) == ("admin", "active", True)
    assert ada.organisation.name == "Northlight Studio"
    assert ada.organisation.kind == "studio"
    assert ada.description.startswith("Studio admin.")


def test_theo_is_a_producer_at_brightside(real):
    theo = real.personas["Theo"]
    assert (theo.role, theo.account) == ("producer", "active")
    assert theo.organisation == Organisation("Brightside Agency", "agency", "brightside.example")


def test_sam_is_suspended(real):
    sam = real.personas["Sam"]
    assert (sam.account, sam.has_account, sam.role) == ("suspended", True, "producer")


def test_uma_has_no_account(real):
    uma = real.personas["Uma"]
    assert (uma.account, uma.has_account, uma.role, uma.organisation) == ("none", False, None, None)


def test_the_cached_lookups_read_the_same_glossary(real):
    assert glossary() == real
    assert persona("Theo") == real.personas["Theo"]
    assert organisation("Northlight Studio") == real.organisations["Northlight Studio"]


def test_an_unknown_persona_lists_the_known_ones():
    with pytest.raises(GlossaryError) as raised:
        persona("Zed")
    assert str(raised.value).startswith("'Zed' is not a persona of features/glossary.md (known: Ada, Theo")


def test_an_unknown_organisation_lookup_is_a_glossary_error():
    with pytest.raises(GlossaryError, match=r"'Acme' is not an organisation of features/glossary.md"):
        organisation("Acme")


# --- small documents ---------------------------------------------------------------------------------

def test_a_small_glossary_parses():
    g = parse_glossary(doc("| Theo | producer | Brightside Agency | active | Producer. |",
                           "| Uma | - | - | none | Visitor. |"))
    assert list(g.personas) == ["Theo", "Uma"]
    assert g.personas["Theo"].description == "Producer."
    assert g.personas["Uma"].role is None


def test_role_and_account_are_read_case_insensitively():
    g = parse_glossary(doc("| Ada | Admin | Northlight Studio | ACTIVE | x |"))
    assert (g.personas["Ada"].role, g.personas["Ada"].account) == ("admin", "active")


def test_an_unknown_organisation_is_refused():
    with pytest.raises(GlossaryError) as raised:
        parse_glossary(doc("| Theo | producer | Acme Films | active | x |"))
    assert str(raised.value) == "persona Theo: unknown organisation 'Acme Films'"


def test_a_bad_role_is_refused():
    with pytest.raises(GlossaryError) as raised:
        parse_glossary(doc("| Theo | director | Brightside Agency | active | x |"))
    assert str(raised.value) == "persona Theo: role must be admin, producer or guest"


def test_a_bad_account_is_refused():
    with pytest.raises(GlossaryError) as raised:
        parse_glossary(doc("| Theo | producer | Brightside Agency | locked | x |"))
    assert str(raised.value) == "persona Theo: account must be active, suspended or none"


def test_a_bad_organisation_kind_is_refused():
    organisations = ORGANISATIONS.replace("| agency |", "| client |")
    with pytest.raises(GlossaryError) as raised:
        parse_glossary(doc("| Ada | admin | Northlight Studio | active | x |", organisations=organisations))
    assert str(raised.value) == "organisation Brightside Agency: kind must be studio or agency, not 'client'"


def test_a_missing_personas_section_is_refused():
    with pytest.raises(GlossaryError) as raised:
        parse_glossary("# Glossary\n" + ORGANISATIONS)
    assert str(raised.value) == "the glossary has no '## Personas' section"


def test_a_missing_organisations_section_is_refused():
    with pytest.raises(GlossaryError) as raised:
        parse_glossary("# Glossary\n" + PERSONAS_HEAD + "| Uma | - | - | none | x |\n")
    assert str(raised.value) == "the glossary has no '## Organisations' section"


def test_a_section_without_table_rows_is_refused():
    with pytest.raises(GlossaryError) as raised:
        parse_glossary(doc())
    assert str(raised.value) == "the '## Personas' section has no table rows"


def test_glossary_error_is_a_value_error():
    assert issubclass(GlossaryError, ValueError)
