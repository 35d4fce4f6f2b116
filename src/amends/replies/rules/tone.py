"""Tone: no blame or excuses, no defensiveness, no stock or cheesy lines, no shouting."""

from __future__ import annotations

import re
from collections.abc import Iterator

from amends.replies.findings import Finding, Severity
from amends.replies.rules import Rule
from amends.replies.rules.phrases import Phrases
from amends.replies.situation import Situation
from amends.replies.wording import Wording

BLAME = Phrases(
    r"you should(?:'ve| have) (?!had\b|been\b|received\b|got\b|gotten\b)",
    r"you (?:failed|forgot|neglected) to",
    r"you did(?: not|n't) (?:follow|read|provide|check|use|tell|inform|contact|select|enter)",
    r"(?:as )?(?:stated|outlined|explained|detailed|specified|set out) in (?:our|the) (?:terms|policy|policies|t&cs|conditions|faq|agreement)",
    r"according to (?:our|the) (?:policy|policies|terms|records)",
    r"(?:beyond|outside|out of) our control",
    r"(?:was|is|were) unavoidable",
    r"out of our hands",
    r"(?:not|isn't|is not) (?:our|the company's) (?:fault|responsibility|problem)",
    r"(?:the|your) (?:courier|carrier|manufacturer|airport|bank|third[- ]party|partner|supplier|postal service|post office)(?:'s)? (?:responsibility|fault|problem|issue|error)",
    r"(?:responsibility|fault) of (?:the|your) (?:courier|carrier|manufacturer|airport|bank|third[- ]party|partner|supplier)",
    r"due to (?:a |an )?(?:high|higher|heavy|unprecedented|increased|large) (?:volumes?|demand|traffic|number)",
    r"(?:experiencing|receiving|handling) (?:a |an )?(?:high|higher|heavy|unprecedented|increased|large)(?: than (?:usual|normal|expected))? (?:volumes?|demand|number)",
    r"user error",
    r"your (?:own )?(?:fault|mistake|error)",
    r"(?:caused|was|is) by (?:your|the customer's)",
    r"it (?:was|is) (?:your|the customer's) responsibility",
    # A policy recited as the reason not to help, or what the customer should have done.
    r"(?:due to|as per|in line with|because of) (?:our |the )?(?:privacy |refund |baggage |company )?(?:policy|policies|legislation|regulations?|rules|terms(?: and conditions)?)",
    r"to qualify for (?:a |an )?(?:full |partial )?(?:refund|credit|compensation|exchange|replacement)",
    r"you would(?:'ve| have)? (?:had|needed) to",
    r"for future reference",
    r"(?:we are|we're|we were) (?:not able|unable) to (?:guarantee|make (?:an )?exceptions?|waive|override)",
    r"(?:this|that|it) is (?:an issue|a matter|a problem) (?:with|between) (?:the|a|our) ",
)
DEFENSIVE = Phrases(
    r"as (?:I|we)(?: have)?(?: already| previously)? (?:said|mentioned|stated|explained|advised|told you|informed you)",
    r"as previously (?:mentioned|stated|advised|explained|said)",
    r"per (?:my|our) (?:last|previous)",
    r"with (?:all )?due respect",
    r"(?:that|this)(?:'s| is) (?:simply |just )?(?:not true|untrue|false|incorrect|not the case)",
    r"there(?:'s| is) nothing (?:more|else|further) (?:we|I) can do",
    r"(?:please )?calm down",
    r"(?:we|I)(?:'ve| have) already (?:explained|told you|answered|responded|said)",
    r"(?:I'm|I am|we're|we are) not sure what (?:else )?you (?:want|expect)",
    r"(?:I|we) don't know what (?:else )?you (?:want|expect)",
    r"if you (?:had|would have|'d) (?:read|checked|looked)",
    r"obviously",
    r"clearly,? you",
    r"we (?:do not|don't) tolerate",
    r"frankly",
    r"(?:^|[.!?]\s+)actually,",
    r"you (?:must|need to) understand",
    r"that(?:'s| is) (?:just )?(?:how|the way) it is",
    r"take it or leave it",
)
ROBOTIC = Phrases(
    r"(?:apologi[sz]e|sorry|regret) for any (?:inconvenience|trouble|issues?|disruption)",
    r"(?:apologi[sz]e|sorry|regret) for the inconvenience(?: (?:this|that|it) (?:has )?caused| caused)?",
    r"(?:your|all) (?:feedback|call|business|custom|comments?|opinion|concerns?) (?:is|are) (?:very |extremely )?(?:important|valuable|valued)(?: to us)?",
    r"we value (?:your|all)(?: customer)? (?:feedback|business|custom|comments|opinions?)",
    r"please be (?:advised|informed)",
    r"kindly be (?:advised|informed)",
    r"thank you for your (?:patience|understanding) and (?:understanding|patience)",
    r"we (?:always )?strive to",
    r"we regret (?:to inform|any)",
    r"we take (?:all |your |these |such )?(?:complaints|concerns|feedback|matters|comments)(?: like this| of this nature)? (?:very )?seriously",
    r"please do not hesitate to",
    r"(?:for|to) (?:your|the) (?:kind )?(?:attention|perusal)",
    r"we are committed to (?:providing|delivering|ensuring)",
    r"valued (?:customer|guest|member|passenger)",
    r"dear (?:customer|guest|sir|madam|valued)",
    r"is of (?:the )?utmost importance",
    r"(?:be )?of (?:any )?further (?:assistance|help)",
    r"under (?:serious )?advisement",
    r"appreciate (?:your|the|all) (?:constructive |valuable |honest )?(?:feedback|input|comments)",
    r"(?:apologi[sz]e|sorry|regret) for (?:the )?(?:trouble|inconvenience) caused",
    r"the most important part of",
)
CHEESY = Phrases(
    r"uh[- ]?oh",
    r"oh no(?:es)?",
    r"yikes",
    r"whoops\w*",
    r"oops\w*",
    r"eek",
    r"bummer",
    r"ruh[- ]roh",
    r"d'oh",
    r"hang tight",
    r"sit tight",
    r"on it like",
    r"turn that frown",
    r"no worries",
    r"sad day",
    r"that stinks",
    r"major bummer",
    r"haha\w*",
    r"lol",
    r"lmao",
    r"hehe\w*",
    r"no bueno",
    r"not cool",
    r"not the vibe",
    r"say it ain't so",
)
_FUNNY_EMOJI = re.compile(
    "[\U0001f602\U0001f923\U0001f605\U0001f61c\U0001f609\U0001f389\U0001f973\U0001f60e\U0001f64c\U0001f483\U0001f606\U0001f601\U0001f604\U0001f603\U0001f648\U0001f643\U0001f61d\U0001f61b\U0001f92a]"
)
_ACRONYMS = frozenset(
    [
        "DM",
        "DMS",
        "PM",
        "ID",
        "UK",
        "US",
        "USA",
        "EU",
        "IOS",
        "OS",
        "PC",
        "TV",
        "SMS",
        "FAQ",
        "URL",
        "PNR",
        "ATM",
        "PIN",
        "VIP",
        "ASAP",
        "OK",
        "CEO",
        "HQ",
        "AM",
        "PM",
        "GB",
        "MB",
        "TB",
        "LTE",
        "APP",
        "USB",
        "HDMI",
        "PS",
        "XBOX",
        "BT",
        "EE",
        "UPS",
        "DHL",
        "FEDEX",
        "UPS",
        "NHS",
    ]
)
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b|\b[A-Z]\b")
_EXCLAIM_RUN = re.compile(r"!{2,}")


def _phrase_rule(
    rule: str,
    phrases: Phrases,
    severity: Severity,
    message: str,
    fix: str,
    *,
    complaint_only: bool = False,
) -> Rule:
    def check(wording: Wording, situation: Situation) -> Iterator[Finding]:
        if complaint_only and not situation.complaint:
            return
        for span in phrases.spans(wording):
            yield Finding(rule, severity, message, fix, span)

    return Rule(rule, check)


def cheesy(wording: Wording, situation: Situation) -> Iterator[Finding]:
    if not situation.complaint:
        return
    found = [
        *CHEESY.spans(wording),
        *((m.start(), m.end()) for m in _FUNNY_EMOJI.finditer(wording.text)),
    ]
    for span in sorted(found):
        yield Finding(
            "phrase.cheesy",
            Severity.WARNING,
            "A flippant or cheesy line to someone who is unhappy.",
            "Say it plainly: 'I'm sorry this happened.'",
            span,
        )


def shouting(wording: Wording, situation: Situation) -> Iterator[Finding]:
    span = _caps_run(wording.text) or _exclamations(wording.text)
    if span:
        yield Finding(
            "style.shouting",
            Severity.WARNING,
            "Capitals or a string of exclamation marks read as shouting.",
            "Write in sentence case with at most one exclamation mark.",
            span,
        )


def _caps_run(text: str) -> tuple[int, int] | None:
    run: list[re.Match[str]] = []
    for match in re.finditer(r"\S+", text):
        letters = re.sub(r"[^A-Za-z]", "", match.group())
        shouted = len(letters) >= 2 and letters.isupper() and letters not in _ACRONYMS
        if shouted:
            run.append(match)
            if len(run) >= 3:
                return run[0].start(), run[-1].end()
        elif letters:
            run = []
    return None


def _exclamations(text: str) -> tuple[int, int] | None:
    repeated = _EXCLAIM_RUN.search(text)
    if repeated:
        return repeated.start(), repeated.end()
    marks = [i for i, c in enumerate(text) if c == "!"]
    if len(marks) > 2:
        return marks[0], marks[-1] + 1
    return None


RULES = (
    _phrase_rule(
        "blame.shifting",
        BLAME,
        Severity.SEVERE,
        "This blames the customer or someone else, or makes an excuse.",
        "Own the problem: say what you will do, not whose fault it was.",
    ),
    _phrase_rule(
        "tone.defensive",
        DEFENSIVE,
        Severity.SEVERE,
        "This sounds defensive or passive-aggressive.",
        "Drop the rebuttal; restate their concern and what happens next.",
    ),
    _phrase_rule(
        "phrase.robotic",
        ROBOTIC,
        Severity.WARNING,
        "A stock phrase that reads like a script.",
        "Say it the way you would to a person in front of you, about their specific problem.",
    ),
    Rule("phrase.cheesy", cheesy),
    Rule("style.shouting", shouting, english=False),
)
