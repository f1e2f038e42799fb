"""Random and mutated merchant files: the only outcomes are a merchant or located problems."""

from __future__ import annotations

from buylocal.merchants import read_merchant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reader import FILES

SEEDS = [path.read_bytes() for path in sorted(FILES.glob("*.md"))]
YAML_BITS = st.sampled_from(
    [
        b":",
        b"- ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"&a ",
        b"*a",
        b"!!",
        b"\t",
        b"\n",
        b"'",
        b'"',
        b"#",
        b"---\n",
        b"~",
        b"null",
        b"\xff",
        b"\xc3",
        "\u2028".encode(),
        b"? ",
        b"|\n",
        b">\n",
    ]
)


@st.composite
def mutated_files(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data)))
        if draw(st.booleans()) and data:
            end = min(len(data), position + draw(st.integers(1, 20)))
            del data[position:end]
        else:
            data[position:position] = draw(st.one_of(YAML_BITS, st.binary(max_size=12)))
    return bytes(data)


def _check(tmp_path_factory, ctx, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "x.md"
    path.write_bytes(raw)
    merchant, problems = read_merchant(path, "x.md", "rimouski", "x", ctx)
    assert (merchant is None) == bool(problems)
    for problem in problems:
        assert problem.format("fr").startswith("x.md:") and problem.format("en")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=mutated_files())
def test_mutated_files_give_a_merchant_or_problems(tmp_path_factory, ctx, raw):
    _check(tmp_path_factory, ctx, raw)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=2000))
def test_random_bytes_give_problems(tmp_path_factory, ctx, raw):
    _check(tmp_path_factory, ctx, raw)
