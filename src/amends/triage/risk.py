"""The explained risk score: how dangerous it is to leave an item unanswered, and why.

The score is the sum of the points of the factors that apply, capped at 100. WEIGHTS and
PRIORITY_FLOORS are the one place the numbers live: docs/triage-rules.md#risk shows the same
tables and tests/triage/test_risk.py fails when the two differ.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from amends.store.tables.cases import Priority
from amends.triage.letters import case_counts, may_hold_links
from amends.triage.prefilter import PatternSet

MAX_SCORE = 100
DEFAULT_HIGH_VALUE = Decimal(1000)
REPEAT_EACH = 10
REACH_FROM = 1000
MODEL_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Weight:
    points: int  # the most the factor adds
    rule: str  # when it applies and how its points scale, as the docs say it


# fmt: off
WEIGHTS: dict[str, Weight] = {
    "safety": Weight(35, "mentions harm to health or safety: food poisoning, an allergic "
                     "reaction, injury, hospital, fire or smoke, mold, unsafe…"),
    "legal": Weight(30, "mentions a lawyer, suing, a lawsuit, small claims or court"),
    "regulator": Weight(25, "mentions a regulator or consumer body (BBB, CFPB, FTC, attorney "
                        "general, ombudsman, trading standards…), or arrived through one"),
    "media": Weight(25, "threatens to go to the press, the news or a journalist, or to go viral"),
    "high_value": Weight(25, "customer lifetime value at or above the threshold "
                         f"(default {DEFAULT_HIGH_VALUE:,})"),
    "negative": Weight(25, f"sentiment model: negative probability p ≥ {MODEL_FLOOR} "
                       "gives 25 × p, rounded"),
    "anger": Weight(20, f"emotion model: anger probability p ≥ {MODEL_FLOOR} "
                    "gives 20 × p, rounded"),
    "reach": Weight(20, f"author's followers, from {REACH_FROM:,}: 5 points per tenfold above 100 "
                    "(1,000 → 5, 10,000 → 10, 100,000 → 15, 1,000,000 or more → 20)"),
    "repeat": Weight(20, f"{REPEAT_EACH} per other complaint from this customer in the last "
                     "30 days"),
    "one_star": Weight(20, "a 1-star rating"),
    "churn": Weight(15, "says they will leave: cancel my account, never again, switching to "
                    "another provider, taking my business elsewhere, won't be back…"),
    "two_stars": Weight(10, "a 2-star rating"),
    "public_channel": Weight(10, "posted where others read it (see PUBLIC_CHANNELS)"),
    "shouting": Weight(5, "mostly capital letters, or !!! and longer"),
    "profanity": Weight(5, "swearing"),
}
# fmt: on

#: The lowest score of each priority, highest first.
PRIORITY_FLOORS: tuple[tuple[int, Priority], ...] = (
    (70, Priority.CRITICAL),
    (45, Priority.HIGH),
    (20, Priority.NORMAL),
    (0, Priority.LOW),
)

#: Channels whose posts others can read, by name with case and punctuation ignored.
# fmt: off
PUBLIC_CHANNELS = frozenset({
    "x", "twitter", "facebook", "instagram", "youtube", "tiktok", "threads", "bluesky",
    "mastodon", "reddit", "linkedin", "google", "yelp", "trustpilot", "tripadvisor", "appstore",
    "googleplay", "playstore", "amazon",
})
# fmt: on
#: Channels that are themselves a regulator: an item from one always has the regulator factor.
REGULATOR_CHANNELS = frozenset({"cfpb"})


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskInput:
    """What triage knows about one item. Model probabilities are None when not computed."""

    text: str
    channel: str | None = None
    rating: int | None = None
    author_reach: int | None = None
    lifetime_value: Decimal | float | None = None
    recent_complaints: int = 0  # this customer's other complaints in the last 30 days
    negative_probability: float | None = None
    anger_probability: float | None = None

    def __post_init__(self) -> None:
        if self.rating is not None and not 1 <= self.rating <= 5:
            raise ValueError(f"rating must be 1 to 5, not {self.rating}")
        if self.recent_complaints < 0:
            raise ValueError(f"recent_complaints cannot be negative: {self.recent_complaints}")
        for name in ("negative_probability", "anger_probability"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")


@dataclass(frozen=True, slots=True)
class RiskFactor:
    name: str  # a key of WEIGHTS
    points: int
    reason: str  # a sentence quoting the evidence, for the case page


@dataclass(frozen=True, slots=True)
class Risk:
    score: int
    factors: tuple[RiskFactor, ...]  # largest contribution first
    priority: Priority


def priority_for(score: int) -> Priority:
    """The priority of a 0–100 risk score (PRIORITY_FLOORS)."""
    if not 0 <= score <= MAX_SCORE:
        raise ValueError(f"a risk score is 0 to {MAX_SCORE}, not {score}")
    return next(priority for floor, priority in PRIORITY_FLOORS if score >= floor)


@dataclass(frozen=True, slots=True)
class TextCues:
    """What the words alone tell risk, before anything else about the item is known.

    `regulator` is the text's own mention of one; the channel may add to it (assess_risk).
    """

    regulator: RiskFactor | None
    others: tuple[RiskFactor, ...]


def read_cues(text: str) -> TextCues:
    """The cue and shouting factors of `text`: the part of risk that reads every character."""
    lowered = _lowered(text)
    in_lowered = _LOWERED_SCAN.candidates(lowered)
    in_text = _EXACT_SCAN.candidates(text)
    found = {
        name: _cue(name, text, lowered, in_lowered=name in in_lowered, in_text=name in in_text)
        for name in _CUES
        if name in in_lowered or name in in_text
    }
    others = (*(found.get(name) for name in _CUES if name != "regulator"), _shouting(text))
    return TextCues(
        regulator=found.get("regulator"),
        others=tuple(factor for factor in others if factor is not None),
    )


def assess_risk(
    item: RiskInput,
    *,
    high_value: Decimal | float = DEFAULT_HIGH_VALUE,
    cues: TextCues | None = None,
) -> Risk:
    """The score of `item`, the factors that made it and the priority that follows.

    `high_value` is the lifetime value from which a customer counts as high value; `cues` are
    `read_cues(item.text)` when already read.
    """
    cues = read_cues(item.text) if cues is None else cues
    found = (
        _public_channel(item.channel),
        _reach(item.author_reach, item.channel),
        _regulator(cues.regulator, item.channel),
        *cues.others,
        _model("negative", item.negative_probability, "sentiment"),
        _model("anger", item.anger_probability, "emotion"),
        _rating(item.rating),
        _high_value(item.lifetime_value, high_value),
        _repeat(item.recent_complaints),
    )
    factors = tuple(sorted((f for f in found if f is not None), key=lambda f: -f.points))
    score = min(MAX_SCORE, sum(factor.points for factor in factors))
    return Risk(score=score, factors=factors, priority=priority_for(score))


# --- text cues -------------------------------------------------------------------------------
# Cue patterns run on a lower-cased copy of the text (three times faster than re.IGNORECASE);
# the few cues where case matters (acronyms, "sue" but not the name "Sue") run on the text.

_LEGAL = (
    r"\b(?:(?:my|our|a|an)\s+)?(?:lawyers?|attorneys?(?!\s+general)|solicitors?)\b"
    r"|\blaw\s*firm\b|\blegal\s+(?:action|counsel|advice|proceedings|team|department)\b"
    r"|\blaw\s*suits?\b|\bclass[-\s]action\b|\bsmall[-\s]claims\b|\blitigation\b"
    r"|\b(?:see|take|taking|drag|dragging)\s+(?:you|them|this|it|\w+)\s+(?:to|in)\s+court\b"
    r"|\bcourt\s+(?:case|action|date)\b"
)
# Without a leading \b these find their first letters fast; _cue checks the word start.
_LEGAL_EXACT = r"(?:sue|sued|suing|SUE|SUED|SUING)\b"
_REGULATOR = (
    r"\bbetter\s+business\s+bureau\b|\bconsumer\s+financial\s+protection\b"
    r"|\bfederal\s+trade\s+commission\b|\battorneys?\s+general\b|\bombuds(?:man|person)\b"
    r"|\btrading\s+standards\b|\bconsumer\s+(?:protection|affairs)\b|\bregulators?\b"
    r"|\bdepartment\s+of\s+transportation\b|\bhealth\s+(?:department|inspector)s?\b"
    r"|\breport(?:ing|ed)?\s+(?:you|you\s+guys|them|this|it)\s+to\b"
)
_REGULATOR_EXACT = r"(?:BBB|CFPB|FTC|FCC|FCA|DOT|CAA|OCC|FDIC|CPSC|Ofcom|Ofgem|Ofwat)\b"
_MEDIA = (
    r"\b(?:contact|call|tell|email|alert|tip\s+off|go\s+to|going\s+to|reach\s+out\s+to|"
    r"write\s+to|talk\s+to|speak\s+to)\s+(?:the\s+|my\s+|a\s+|local\s+)*"
    r"(?:press|media|news(?:papers?)?|news\s+(?:station|outlet|channel)s?|journalists?|"
    r"reporters?|tv\s+stations?)\b|\bjournalists?\b|\breporters?\b|\bgo(?:es|ing|ne)?\s+viral\b"
    r"|\bwent\s+viral\b|\b(?:post|share|spread|put)\w*\s+(?:this|it)\s+(?:\w+\s+){0,2}"
    r"(?:everywhere|all\s+over)\b"
)
_SAFETY = (
    r"\bfood\s+poisoning\b|\bpoison(?:ed|ing)?\b|\ballergic\s+reaction\b|\banaphyla\w*"
    r"|\bepi-?pens?\b|\binjur(?:y|ies|ed|ing)\b|\bhospitali[sz]ed\b"
    # "ended up in the hospital", not "the hospital sent the bill to collections"
    r"|\b(?:went|go|gone|rushed|taken|ended\s+up|landed|admitted)\s+(?:to|in|into)\s+"
    r"(?:the\s+)?(?:hospital|emergency\s+room|er)\b|\bambulance\b|\bparamedics?\b"
    r"|\b(?:caught|catch|catches|catching)\s+fire\b|\bflames?\b"
    r"|\bfire\s+(?:alarm|hazard|exit|extinguisher|department|brigade)s?\b"
    r"|\bsmoke\s+(?:in\s+the|coming|pouring|billowing|alarms?|detectors?)\b|\bsmoke-filled\b"
    r"|\b(?:full\s+of|filled\s+with)\s+smoke\b|\b(?:got|get|was|were|been)\s+burn(?:ed|t)\b"
    r"|\bburn(?:ed|t)?\s+(?:my|his|her|their|our)\s+\w+|\bburns\s+(?:on|to)\b"
    r"|\bchok(?:e|ed|es|ing)\b|\bmou?ld(?:y)?\b|\bunsafe\b|\b(?:not|n[’']t)\s+safe\b"
    r"|\bsafety\s+(?:issue|concern|hazard|risk|violation)s?\b|\bdangerous\b"
    r"|\b(?:fire|health|choking)\s+hazards?\b|\bhazardous\b|\bcarbon\s+monoxide\b"
    r"|\bgas\s+leak\b|\belectric(?:al)?\s+shock\b|\belectrocut\w*|\bexplo(?:ded|sion|des)\b"
    r"|\b(?:got|get|getting|became|made\s+(?:me|us|him|her|them|my\s+\w+))\s+"
    r"(?:very\s+|so\s+|really\s+)?(?:sick|ill)\b(?!\s+(?:of|and\s+tired)\b)"
    r"|\bvomit\w*|\bthrew\s+up\b|\bdiarrh?o?ea\b|\bsalmonella\b|\be\.?\s?coli\b|\blisteria\b"
    r"|\bbleeding\b|\bbed\s*bugs?\b|\bcockroach\w*|\broach(?:es)?\b|\brodents?\b"
    r"|\b(?:glass|metal|plastic|hair|bug|insect|worm|maggot)s?\s+in\s+(?:my|the|our)\s+"
    r"(?:food|meal|drink|order|salad|burger|sandwich|soup|pizza|coffee)\b"
)
_CHURN = (
    r"\bcancel(?:l?ed|l?ing)?\s+(?:my|our|the)\s+(?:\w+\s+)?(?:account|subscription|membership|"
    r"service|contract|plan|card|policy)s?\b|\bclos(?:e|ed|ing)\s+(?:my|our|all\s+(?:my|our))\s+"
    r"(?:\w+\s+)?accounts?\b|\bnever\s+again\b|\bnever\s+(?:\w+\s+){0,2}(?:fly|flying|"
    r"shop|shopping|order|ordering|buy|buying|use|using|stay|staying|eat|eating|book|booking|"
    r"come|coming|return|returning|recommend|purchase|do\s+business)\s+(?:\w+\s+){0,3}"
    r"(?:again|with\s+you|from\s+you|here)\b|\b(?:i['’]?m|i\s+am|we['’]?re|we\s+are|i['’]?ll|"
    r"i\s+will)\s+switching\s+to\b|\bswitch(?:ing|ed)?\s+(?:over\s+)?to\s+(?:another|a\s+"
    r"different|a\s+new|a\s+competitor|your\s+competitors?)\b|\bswitching\s+(?:airlines|banks|"
    r"providers|carriers|companies)\b|\b(?:taking|take|took)\s+my\s+business\s+elsewhere\b"
    r"|\b(?:won['’]?t|will\s+not)\s+be\s+(?:back|returning|coming\s+back)\b"
    r"|\b(?:this|that)\s+(?:is|was|will\s+be)\s+the\s+last\s+time\b|\blast\s+time\s+i\s+"
    r"(?:will|ever|['’]ll)\b|\blost\s+(?:a|another|me\s+as\s+a)\s+(?:loyal\s+)?customer\b"
    r"|\b(?:find|finding|look(?:ing)?\s+for)\s+(?:a\s+)?(?:new|another|different)\s+(?:airline|"
    r"bank|provider|carrier|company|store|restaurant|hotel|service)\b"
)
_PROFANITY = (
    r"\bf+u+c+k+\w*|\bf[*#@]+k\w*|\bsh[i1]t(?:s|ty|tier|tiest|ting|ted|head|show)?\b"
    r"|\bbullsh[i1]t\w*|\bwtf\b|\bstfu\b|\bassholes?\b|\bbastards?\b"
    r"|\bcrap(?:s|py|pier|piest|load)?\b|\bpiss(?:ed)?\b|\b(?:god)?damn\w*"
    r"|\bscrew\s+(?:you|u|this|them)\b"
)


@dataclass(frozen=True, slots=True)
class _Cue:
    lowered: re.Pattern[str]  # run on the lower-cased text
    exact: re.Pattern[str] | None  # run on the text as written
    negatable: bool  # whether a negation just before cancels a match
    label: str  # how the reason starts


_CUES: dict[str, _Cue] = {
    "legal": _Cue(re.compile(_LEGAL), re.compile(_LEGAL_EXACT), True, "mentions legal action"),
    "regulator": _Cue(
        re.compile(_REGULATOR), re.compile(_REGULATOR_EXACT), True, "mentions a regulator"
    ),
    "media": _Cue(re.compile(_MEDIA), None, True, "mentions the media"),
    "safety": _Cue(re.compile(_SAFETY), None, True, "mentions harm to health or safety"),
    "churn": _Cue(re.compile(_CHURN), None, True, "says they may leave"),
    "profanity": _Cue(re.compile(_PROFANITY), None, False, "profanity"),
}

# One pass over each text tells which cue patterns may match it (prefilter.py).
_LOWERED_SCAN = PatternSet({name: cue.lowered for name, cue in _CUES.items()})
_EXACT_SCAN = PatternSet({name: cue.exact for name, cue in _CUES.items() if cue.exact})

# "not going to sue", "no one was injured", "I don't want to cancel my account": a negation
# at most three words before the cue, in the same sentence, cancels it. Runs on lowered text.
_NEGATED = re.compile(
    r"(?:\b(?:not|no|never|without|nor|cannot)|\b(?:do|does|did|is|was|are|were|have|has|had|"
    r"would|should|could|wo|ca|must|need)n['’]?t)\b(?:[^\w.!?;]+\w+){0,3}[^\w.!?;]*$"
)
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|@\w+")
_EXCLAMATIONS = re.compile(r"[!?]*(?:!\?*){3}[!?]*")
_SHOUTING_MIN_LETTERS = 12
_SHOUTING_UPPER_SHARE = 0.7
_QUOTE_LENGTH = 60


def _lowered(text: str) -> str:
    # U+0130 is the one character whose lower case is longer: replacing it keeps the offsets
    # of the lowered copy equal to the text's.
    return text.replace("\u0130", "I").lower()


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")


def _cue(
    name: str, text: str, lowered: str, *, in_lowered: bool, in_text: bool
) -> RiskFactor | None:
    """The factor of cue `name`; `in_lowered` and `in_text` say whether its pattern on the
    lowered text and on the text as written may match (the prefilter's verdicts)."""
    cue = _CUES[name]
    spans = [match.span() for match in cue.lowered.finditer(lowered)] if in_lowered else []
    if cue.exact is not None and in_text:
        spans += [m.span() for m in cue.exact.finditer(text) if _starts_word(text, m.start())]
    if cue.negatable:
        spans = [(s, e) for s, e in spans if not _NEGATED.search(lowered, max(0, s - 60), s)]
    quotes: list[str] = []
    for start, end in sorted(spans):
        quote = " ".join(text[start:end].split())[:_QUOTE_LENGTH]
        if quote.lower() not in (seen.lower() for seen in quotes):
            quotes.append(quote)
    if not quotes:
        return None
    return RiskFactor(name, WEIGHTS[name].points, f"{cue.label}: {_quoted(quotes)}")


def _quoted(quotes: list[str]) -> str:
    shown = ", ".join(f'"{quote}"' for quote in quotes[:2])
    return shown + (f" and {len(quotes) - 2} more" if len(quotes) > 2 else "")


def _regulator(factor: RiskFactor | None, channel: str | None) -> RiskFactor | None:
    key = _channel_key(channel)
    if key not in REGULATOR_CHANNELS:
        return factor
    via = f"arrived through {channel}"
    reason = f"{via}; {factor.reason}" if factor else via
    return RiskFactor("regulator", WEIGHTS["regulator"].points, reason)


def _shouting(text: str) -> RiskFactor | None:
    evidence = []
    if _mostly_capitals(text):
        evidence.append("written mostly in capitals")
    if "!!" in text and (exclamations := _EXCLAMATIONS.search(text)):
        evidence.append(f'"{exclamations.group()[:10]}"')
    if not evidence:
        return None
    return RiskFactor("shouting", WEIGHTS["shouting"].points, "shouting: " + ", ".join(evidence))


def _mostly_capitals(text: str) -> bool:
    """At least `_SHOUTING_MIN_LETTERS` capitals in the text, and outside its links and
    @handles as many letters, `_SHOUTING_UPPER_SHARE` of them capitals."""
    letters, upper = case_counts(text)
    if upper < _SHOUTING_MIN_LETTERS:
        return False
    if may_hold_links(text):
        letters, upper = case_counts(_NOT_WORDS.sub(" ", text))
    return letters >= _SHOUTING_MIN_LETTERS and upper >= _SHOUTING_UPPER_SHARE * letters


# --- facts about the item and the customer ---------------------------------------------------


@functools.lru_cache(maxsize=256)
def _channel_key(channel: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (channel or "").lower())


def _public_channel(channel: str | None) -> RiskFactor | None:
    if _channel_key(channel) not in PUBLIC_CHANNELS:
        return None
    return RiskFactor(
        "public_channel", WEIGHTS["public_channel"].points, f"public post on {channel}"
    )


def _reach(reach: int | None, channel: str | None) -> RiskFactor | None:
    if reach is None or reach < REACH_FROM:
        return None
    points = min(WEIGHTS["reach"].points, math.floor(5 * (math.log10(reach) - 2)))
    where = f" on {channel}" if channel else ""
    return RiskFactor("reach", points, f"{reach:,} followers{where}")


def _model(name: str, probability: float | None, model: str) -> RiskFactor | None:
    if probability is None or probability < MODEL_FLOOR:
        return None
    points = math.floor(WEIGHTS[name].points * probability + 0.5)
    return RiskFactor(name, points, f"{name} {probability:.2f} by the {model} model")


def _rating(rating: int | None) -> RiskFactor | None:
    if rating == 1:
        return RiskFactor("one_star", WEIGHTS["one_star"].points, "1-star rating")
    if rating == 2:
        return RiskFactor("two_stars", WEIGHTS["two_stars"].points, "2-star rating")
    return None


def _high_value(value: Decimal | float | None, threshold: Decimal | float) -> RiskFactor | None:
    if value is None or value < threshold:
        return None
    reason = f"lifetime value {value:,.0f} (high value from {threshold:,.0f})"
    return RiskFactor("high_value", WEIGHTS["high_value"].points, reason)


def _repeat(count: int) -> RiskFactor | None:
    if count <= 0:
        return None
    points = min(WEIGHTS["repeat"].points, REPEAT_EACH * count)
    noun = "complaint" if count == 1 else "complaints"
    return RiskFactor("repeat", points, f"{count} other {noun} in the last 30 days")
