"""Markdown converted by instances that skip the inline patterns a text cannot match, or a
text of plain paragraphs put in <p> without Markdown, gives the same HTML as converting it
with every pattern.
"""

from __future__ import annotations

import pytest
from buylocal import markup
from buylocal.markup import INLINE_MARKS, MarkdownRenderer, MarkdownTooDeep
from hypothesis import example, given, settings
from hypothesis import strategies as st

# Pieces that start, end or break Markdown's inline and block syntax, and plain words.
PIECES = st.sampled_from(
    [
        "pain",
        "Café",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "\t\n",
        "\r\n",
        "\r",
        "\x02",
        "\x03",
        " \x02 \n",
        "\u2028",
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        "\\",
        "\\*",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        "&amp;",
        "&#35;",
        ";",
        ":",
        "@",
        "#",
        "# ",
        "> ",
        "- ",
        "1. ",
        "    ",
        "---",
        "[lien](https://example.org)",
        "[a][b]",
        "[b]",
        "![b]",
        "\n\n[b]: https://example.org\n",
        "![image](https://example.org/a.png)",
        "<https://example.org>",
        "<info@example.org>",
        "https://example.org",
        "tel:+14185550100",
    ]
)
texts = st.lists(PIECES, max_size=40).map("".join)
every_pattern = MarkdownRenderer(skip_patterns=False)
fewer_patterns = MarkdownRenderer()
REFERENCE = "\n\n[b]: https://example.org"


@settings(max_examples=600, deadline=None)
@given(text=texts, level=st.integers(1, 6), site_links=st.booleans())
@example(text="pain  \npain", level=2, site_links=False)
@example(text="pain\t\npain", level=2, site_links=False)  # a tab makes the spaces of a <br>
@example(text="pain \x02 \npain", level=2, site_links=False)  # so does a removed STX
@example(text="pain \x03 \npain", level=2, site_links=False)  # or ETX
@example(text="pain  \rpain", level=2, site_links=False)  # and an old Mac line end
@example(text="[a][b]" + REFERENCE, level=2, site_links=False)
@example(text="[b]" + REFERENCE, level=2, site_links=False)
@example(text="![a][b]" + REFERENCE, level=2, site_links=False)
@example(text="![b]" + REFERENCE, level=2, site_links=False)
def test_skipping_patterns_a_text_cannot_match_changes_nothing(text, level, site_links):
    assert fewer_patterns(text, level, site_links) == every_pattern(text, level, site_links)


def _spy_on_patterns() -> tuple[MarkdownRenderer, list]:
    """A renderer with every pattern, and the names of those that were tried on a match."""
    renderer, tried = MarkdownRenderer(skip_patterns=False), []
    patterns = renderer.markdown_for("").inlinePatterns
    for name in INLINE_MARKS:
        pattern = patterns[name]

        def spy(*args, name=name, handle=pattern.handleMatch):
            tried.append(name)
            return handle(*args)

        pattern.handleMatch = spy
    return renderer, tried


spying, tried = _spy_on_patterns()


@settings(max_examples=600, deadline=None)
@given(text=texts)
@example(text="[a][b]" + REFERENCE)
@example(text="![a][b]" + REFERENCE)
@example(text="![b]" + REFERENCE)
def test_no_pattern_left_out_would_have_matched(text):
    """Stronger than comparing HTML: a pattern that matched, even to no effect, is kept."""
    tried.clear()
    spying(text)
    kept = fewer_patterns.markdown_for(text).inlinePatterns
    assert [name for name in tried if name not in kept] == []


def test_a_plain_text_is_converted_without_inline_patterns():
    assert len(fewer_patterns.markdown_for("Pains au levain, le samedi.").inlinePatterns) == 0
    bold = fewer_patterns.markdown_for("Pains **au levain**.").inlinePatterns
    assert [name for name in ("em_strong", "link") if name in bold] == ["em_strong"]
    assert fewer_patterns("Pains **au levain**.") == "<p>Pains <strong>au levain</strong>.</p>"


@pytest.mark.parametrize("skip_patterns", [True, False])
def test_a_text_nested_too_deep_leaves_the_next_text_as_it_should_be(skip_patterns):
    renderer = MarkdownRenderer(skip_patterns)
    with pytest.raises(MarkdownTooDeep):
        renderer("- " * 1000 + "x")
    assert renderer("Pain *frais*\n\nLe samedi.") == (
        "<p>Pain <em>frais</em></p>\n<p>Le samedi.</p>"
    )


# Texts that are plain paragraphs, or nearly: what starts a block (a digit and a dot, a
# dash, a hash, spaces, "=" under a line), spaces that end a line, characters that are
# text to Markdown but not to every check (">", "\u00a0", "\u202f", quotes, "\x0c").
PLAIN_PIECES = st.sampled_from(
    [
        "Pain",
        "pain",
        "Éloïse",
        "ß",
        "ǅ",
        "東",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\n\n\n",
        "\n ",
        " \n",
        ".",
        ",",
        "'",
        '"',
        "’",
        "«\u00a0",
        "\u00a0»",
        "\u202f!",
        ">",
        "\n>",
        "1986. ",
        "\n1986. ",
        "2)",
        "\n- ",
        "\n+ ",
        "\n# ",
        "\n=",
        "\n===",
        "\n---",
        "\n    ",
        "\x0c",
        "\x0b",
        "\r",
        "\r- ",
        "\r\n",
        "\x85",
        "\u2028",
        "\u0301",
        ":",
        "?",
        "https://example.org",
        "e-mail",
    ]
)
plain_texts = st.lists(PLAIN_PIECES, max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(text=plain_texts, level=st.integers(1, 6))
@example(text="Pain\n\n\nCafé > thé\n", level=2)
@example(text="Pain\n=", level=2)  # a Setext heading: Markdown's
@example(text="\n\nPain  \u00a0»", level=2)
def test_plain_paragraphs_without_markdown_are_what_markdown_makes(text, level):
    assert fewer_patterns(text, level) == every_pattern(text, level)
    plain = markup._plain_paragraphs(text)
    if plain is not None and not any(mark in text for mark in markup._MARKS):
        md = every_pattern.markdown_for(text)
        assert plain == MarkdownRenderer._convert(md, text, level)  # before nh3, too


def test_plain_paragraphs_do_not_go_through_markdown(monkeypatch):
    def converted(md, text, heading_level):
        raise AssertionError(f"converted by Markdown: {text!r}")

    monkeypatch.setattr(MarkdownRenderer, "_convert", staticmethod(converted))
    text = "Pains au levain.\nLe samedi > le dimanche.\n\n\nCafé «\u00a0bio\u00a0»."
    expected = (
        "<p>Pains au levain.\nLe samedi &gt; le dimanche.</p>\n<p>Café «&nbsp;bio&nbsp;».</p>"
    )
    assert MarkdownRenderer()(text) == expected
    assert markup._plain_paragraphs("1986. Ouverture") is None


def _characters_scanned_for_links(text: str) -> int:
    """Characters Python-Markdown's link patterns walk through (getText, getLink)."""
    from markdown.inlinepatterns import LinkInlineProcessor

    walked = [0]
    originals = {name: getattr(LinkInlineProcessor, name) for name in ("getText", "getLink")}

    def counting(name):
        def scan(self, data, index, *rest):
            found = originals[name](self, data, index, *rest)
            walked[0] += found[-2] - index  # the index it stopped at
            return found

        return scan

    try:
        for name in originals:
            setattr(LinkInlineProcessor, name, counting(name))
        MarkdownRenderer()(text, heading_level=3)  # built now: it wraps the counting scans
    finally:
        for name, original in originals.items():
            setattr(LinkInlineProcessor, name, original)
    return walked[0]


def test_the_search_for_a_links_end_is_bounded_whatever_follows():
    """Each "[" looked for its "]" through the rest of the paragraph: with escapes (each a
    16-character stand-in by then) 50 "[" walked 21 million characters, 2 s.
    """
    from buylocal.merchants import MAX_BRACKETS, MAX_DESCRIPTION

    rest = MAX_DESCRIPTION - MAX_BRACKETS
    plain = "[" * MAX_BRACKETS + "a" * rest
    escaped = "[" * MAX_BRACKETS + "\\*" * (rest // 2)
    unclosed_links = "[x](" * MAX_BRACKETS + "\\*" * ((rest - 3 * MAX_BRACKETS) // 2)
    bound = MAX_BRACKETS * len(markup._LINK_PATTERNS) * markup.LINK_WINDOW
    for text in (plain, escaped, unclosed_links):
        assert len(text) <= MAX_DESCRIPTION
        assert _characters_scanned_for_links(text) <= bound


def test_links_within_the_window_are_links_and_longer_ones_stay_text():
    renderer = MarkdownRenderer()
    words = "mot " * ((markup.LINK_WINDOW - 100) // 4)
    assert '<a href="https://example.org/"' in renderer(f"[{words}](https://example.org/)")
    too_long = "mot " * (markup.LINK_WINDOW // 4)
    assert "<a " not in renderer(f"[{too_long}](https://example.org/)")
