from portal.projects.search import MAX_WORDS, prefix_query


def test_every_word_is_a_required_prefix():
    assert prefix_query("Harb rec") == "harb:* & rec:*"


def test_query_syntax_is_only_words():
    assert prefix_query("harb:* | !lights") == "harb:* & lights:*"
    assert prefix_query("' & ( )") is None


def test_no_words_no_query():
    assert prefix_query("   ") is None


def test_words_beyond_the_limit_are_ignored():
    assert prefix_query(" ".join(f"w{i}" for i in range(MAX_WORDS + 3))).count(":*") == MAX_WORDS


def test_letters_of_any_language_are_words():
    assert prefix_query("Zürich café") == "zürich:* & café:*"
