"""Markdown converted by instances that skip the inline patterns a text cannot match gives
the same HTML as converting it with every pattern.
"""

from __future__ import annotations

import pytest
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
