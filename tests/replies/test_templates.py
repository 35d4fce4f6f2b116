"""Reply templates filled in the sandbox: every variable, the line of a mistake, and nothing a
template author could use to run code on the server."""

from __future__ import annotations

from dataclasses import replace

import pytest

from amends.playbooks.templates import VARIABLES, problem
from amends.replies.channels import channel
from amends.replies.templates import EXAMPLE, TemplateFailed, render, try_out, variables


def test_every_variable_has_a_value() -> None:
    assert set(variables(EXAMPLE)) == set(VARIABLES)
    filled = render(
        "{{ greeting }}, about {{ issue }}: {{ resolution }}. {{ agent_name }}", EXAMPLE
    )
    assert filled == "Hi Grace, about your order: three days. Sam"


def test_the_reference_never_fills_a_public_reply() -> None:
    private = variables(EXAMPLE)
    public = variables(replace(EXAMPLE, channel=channel("twitter")))
    assert private["reference"]
    assert public["reference"] == ""
    assert private["reference"] not in str(public["issue"])


def test_text_is_not_html_escaped() -> None:
    facts = replace(EXAMPLE, customer_name="Ann <O'Neil>")
    assert render("{{ customer_name }} & co", facts) == "Ann <O'Neil> & co"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Hi\n{{ greeting }", 2, "unexpected '}'"),
        ("Hi\n\n{{ coupon_code }}", 3, "unknown variable 'coupon_code'"),
        ("{% if greeting %}open", 1, "endif"),
    ],
)
def test_a_mistake_is_named_with_its_line(text: str, line: int, words: str) -> None:
    found = problem(text)
    assert found is not None
    assert (found.line, words in found.message) == (line, True)
    with pytest.raises(TemplateFailed):
        render(text, EXAMPLE)


@pytest.mark.parametrize(
    "text",
    [
        "{{ greeting.__class__.__mro__ }}",
        "{{ greeting.format.__globals__ }}",
        "{% for x in range(10**9) %}{% endfor %}",
        "{{ 1 / 0 }}",
    ],
)
def test_the_sandbox_refuses_what_a_reply_never_needs(text: str) -> None:
    with pytest.raises(TemplateFailed):
        render(text, EXAMPLE)


def test_trying_a_template_checks_it_as_a_reply() -> None:
    filled, report = try_out("Sorry if you feel upset, {{ first_name }}.", channel("email"))
    assert filled == "Sorry if you feel upset, Grace."
    assert "apology.conditional" in report.rules
