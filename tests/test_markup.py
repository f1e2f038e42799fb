"""Markdown converted by instances that skip the inline patterns a text cannot match gives
the same HTML as converting it with every pattern.
"""

from __future__ import annotations

from buylocal.markup import MarkdownRenderer
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
        "[b]: https://example.org",
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


@settings(max_examples=600, deadline=None)
@given(text=texts, level=st.integers(1, 6), site_links=st.booleans())
@example(text="pain\t\npain", level=2, site_links=False)  # a tab makes the spaces of a <br>
@example(text="pain \x02 \npain", level=2, site_links=False)  # so does a removed STX
@example(text="pain  \rpain", level=2, site_links=False)  # and an old Mac line end
def test_skipping_patterns_a_text_cannot_match_changes_nothing(text, level, site_links):
    assert fewer_patterns(text, level, site_links) == every_pattern(text, level, site_links)


def test_a_plain_text_is_converted_without_inline_patterns():
    assert len(fewer_patterns.markdown_for("Pains au levain, le samedi.").inlinePatterns) == 0
    bold = fewer_patterns.markdown_for("Pains **au levain**.").inlinePatterns
    assert [name for name in ("em_strong", "link") if name in bold] == ["em_strong"]
    assert fewer_patterns("Pains **au levain**.") == "<p>Pains <strong>au levain</strong>.</p>"
