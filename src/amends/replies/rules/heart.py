"""HEART: the reply hears the specific issue, empathises, apologises without conditions,
and thanks; and on private channels it uses the customer's name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from amends.replies.findings import Finding, Severity
from amends.replies.rules import Rule
from amends.replies.rules.phrases import Phrases
from amends.replies.situation import Situation
from amends.replies.wording import Wording
from amends.replies.wording import wording as wording_of

EMPATHY = Phrases(
    r"sorry (?:to|that|about|for|you)",
    r"(?:sad|hate|upset|disappointed|concerned|unhappy|gutted|terrible|awful) to (?:hear|read|see|learn)",
    r"(?:not|isn't|wasn't) (?:what|the \w+ (?:we|you)|how|the kind)",
    r"frustrat\w*",
    r"disappoint\w*",
    r"annoy\w*",
    r"upsetting",
    r"stressful",
    r"(?:I|we) (?:\w+ )?(?:understand|imagine|see why|see how|get why|get how|hear you|know how)",
    r"concern(?:ing|ed)",
    r"(?:don't|do not) want (?:you|this|that) to",
    r"(?:we|I) want (?:you|your|this|it|the|to make sure)",
    r"(?:doesn't|does not|didn't|did not) sound (?:good|right|great|fun|ideal)",
    r"(?:hope|hoping) (?:you're|you are|everyone|all) (?:ok|okay|safe|alright|well)",
    r"(?:frustration|disappointment|upset|trouble) (?:we've|we have|this has|it has|that has) caused",
    r"understandabl[ey]",
    r"(?:that|this|it) (?:sounds|must (?:be|have been)|is not ok|isn't ok|is not good|isn't good|is not right|isn't right)",
    r"(?:not|n't) (?:the )?(?:experience|service|standard|impression) (?:we|you)",
    r"inconvenien\w*",
    r"(?:unpleasant|unacceptable|far from ideal|not ideal|less than ideal)",
    r"(?:apolog\w+|sorry) for (?:the|this|that|your|any|all)",
    r"(?:we|I) (?:feel|share) your",
    r"(?:we|I)'?d be (?:frustrated|upset|annoyed|disappointed|angry)",
    r"every (?:right|reason) to be",
    r"(?:angry|upset|upsetting|worrying|worried|stressful|confusing|let down|unhappy)",
)
APOLOGY = Phrases(r"sorry", r"apolog\w*", r"regret\w*", r"our bad", r"my bad", r"pardon")
CONDITIONAL = Phrases(
    r"(?:sorry|apologi[sz]e|apologies|regret)\b[^.!?\n]{0,40}?\bif\b(?! (?:you (?:can|could|would|'d)|we can))",
    r"(?:sorry|apologi[sz]e|apologies|regret)(?: that)? you (?:feel|felt|think|thought|believe|see it|perceive)",
    r"(?:sorry|apologi[sz]e|apologies|regret) (?:that )?(?:you're|you are|you were|you feel|you felt) (?:upset|unhappy|offended|disappointed|dissatisfied|unsatisfied) (?:by|with|about)",
    r"(?:inconvenience|trouble|upset|frustration|confusion)s? (?:this|that|it|which) may have caused",
    r"may have (?:caused|experienced)",
    r"sorry you feel that way",
)
THANKS = Phrases(
    r"thank\w*", r"thx", r"ty", r"appreciat\w*", r"grateful", r"gratitude", r"cheers", r"kudos"
)

# Words any reply may use without naming the customer's problem.
_GENERIC = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "also",
        "always",
        "another",
        "anything",
        "apologies",
        "apologise",
        "apologize",
        "appreciate",
        "assist",
        "assistance",
        "back",
        "because",
        "been",
        "before",
        "being",
        "best",
        "better",
        "between",
        "both",
        "call",
        "came",
        "can't",
        "cannot",
        "case",
        "check",
        "come",
        "concern",
        "concerns",
        "contact",
        "could",
        "couldn't",
        "details",
        "didn't",
        "direct",
        "does",
        "doesn't",
        "doing",
        "done",
        "don't",
        "each",
        "email",
        "ensure",
        "even",
        "ever",
        "every",
        "experience",
        "feedback",
        "feel",
        "find",
        "first",
        "follow",
        "from",
        "further",
        "get",
        "getting",
        "give",
        "glad",
        "going",
        "good",
        "great",
        "happen",
        "happened",
        "happy",
        "have",
        "having",
        "hear",
        "heard",
        "hello",
        "help",
        "here",
        "hope",
        "how",
        "however",
        "information",
        "into",
        "issue",
        "issues",
        "it's",
        "just",
        "keep",
        "know",
        "left",
        "less",
        "let's",
        "like",
        "little",
        "look",
        "looking",
        "love",
        "made",
        "make",
        "many",
        "matter",
        "message",
        "more",
        "most",
        "much",
        "must",
        "need",
        "needs",
        "never",
        "news",
        "note",
        "number",
        "only",
        "other",
        "over",
        "please",
        "pleased",
        "possible",
        "private",
        "problem",
        "problems",
        "provide",
        "question",
        "questions",
        "reach",
        "really",
        "reason",
        "reply",
        "right",
        "said",
        "same",
        "see",
        "send",
        "sent",
        "should",
        "since",
        "some",
        "something",
        "soon",
        "sorry",
        "still",
        "such",
        "support",
        "sure",
        "take",
        "team",
        "than",
        "thank",
        "thanks",
        "that",
        "that's",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "think",
        "this",
        "those",
        "though",
        "through",
        "time",
        "today",
        "together",
        "touch",
        "trouble",
        "understand",
        "until",
        "update",
        "very",
        "want",
        "wanted",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "well",
        "went",
        "were",
        "what",
        "what's",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "within",
        "without",
        "work",
        "would",
        "wouldn't",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
    ]
)
# Nouns that name what a complaint is about, for a reply checked with no customer message.
ISSUE_TERMS = Phrases(
    r"orders?",
    r"deliver\w*",
    r"parcels?",
    r"packages?",
    r"shipments?",
    r"shipping",
    r"items?",
    r"products?",
    r"flights?",
    r"bags?",
    r"baggage",
    r"luggage",
    r"bookings?",
    r"reservations?",
    r"tickets?",
    r"seats?",
    r"rooms?",
    r"stay",
    r"refunds?",
    r"charges?",
    r"charged",
    r"bills?",
    r"billing",
    r"payments?",
    r"invoices?",
    r"accounts?",
    r"passwords?",
    r"login",
    r"app",
    r"website",
    r"site",
    r"devices?",
    r"phone",
    r"laptop",
    r"screen",
    r"battery",
    r"updates?",
    r"outage",
    r"connection",
    r"internet",
    r"wifi",
    r"signal",
    r"network",
    r"servers?",
    r"coverage",
    r"tracking",
    r"trace ?route|tracert",
    r"record locator",
    r"confirmation (?:number|code)",
    r"service",
    r"delay\w*",
    r"late",
    r"cancel\w*",
    r"damaged?",
    r"broken",
    r"missing",
    r"lost",
    r"wrong",
    r"faulty",
    r"defective",
    r"wait\w*",
    r"queue",
    r"staff",
    r"driver",
    r"courier",
    r"food",
    r"meal",
    r"drink",
    r"store",
    r"shop",
    r"branch",
    r"restaurant",
    r"hotel",
    r"car",
    r"ride",
    r"trip",
    r"subscription",
    r"plan",
    r"card",
    r"loan",
    r"credit",
    r"debt",
    r"report",
    r"voucher",
    r"treated",
    r"spoken to",
    r"rude\w*",
    r"replacement",
    r"reshipment",
    r"upgrade",
    r"callback",
    r"vouchers?",
    r"confirmation",
    r"(?:booking|reference|tracking|order|account) (?:number|code)",
    r"songs?",
    r"music",
    r"playlists?",
    r"error",
    r"network",
    r"coverage",
    r"data",
    r"speeds?",
    r"catering",
    r"gate",
    r"crew",
    r"pilot",
    r"airport",
    r"train",
    r"bus",
    r"parking",
    r"wi-?fi",
    r"promo\w*",
    r"codes?",
    r"discount",
    r"price",
    r"fees?",
    r"games?",
    r"console",
    r"tv",
    r"streaming",
    r"version",
    r"software",
    r"email",
    r"notifications?",
    r"messages?",
)
_WORD = re.compile(r"[a-z][a-z0-9'-]{3,}")
#: A customer message with fewer specific words than this names no problem to restate.
MIN_SPECIFIC_WORDS = 3
# A name inside a sentence (a product, a place, a service): "your Illustrator preferences".
_PROPER_NOUN = re.compile(r"(?<=[a-z,] )(?!I\b|I'|DM\b)[A-Z][A-Za-z]+")


def issue_unacknowledged(wording: Wording, situation: Situation) -> Iterator[Finding]:
    if not situation.first_reply_to_complaint:
        return
    customer = wording_of(situation.context.customer_text or "").lower
    if customer and len(_specific_words(customer)) < MIN_SPECIFIC_WORDS:
        return  # the customer named nothing specific to acknowledge
    if customer and _shares_a_specific_word(wording.lower, customer):
        return
    if (
        ISSUE_TERMS.found_in(wording)
        or re.search(r"\d", wording.text)
        or _PROPER_NOUN.search(wording.text)
    ):
        return
    yield Finding(
        "issue.unacknowledged",
        Severity.WARNING,
        "The reply never names the customer's specific problem.",
        "Restate what happened in their terms: the order, product, flight, date or place.",
    )


def _shares_a_specific_word(reply: str, customer: str) -> bool:
    said = {_stem(word) for word in _specific_words(customer)}
    return any(_stem(word) in said for word in _specific_words(reply))


def _specific_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if word not in _GENERIC]


def _stem(word: str) -> str:
    return word.replace("'", "").replace("-", "")[:5]


def _missing(rule: str, phrases: Phrases, severity: Severity, message: str, fix: str) -> Rule:
    """A rule broken when a first reply to a complaint has none of `phrases`."""

    def check(wording: Wording, situation: Situation) -> Iterator[Finding]:
        if situation.first_reply_to_complaint and not phrases.found_in(wording):
            yield Finding(rule, severity, message, fix)

    return Rule(rule, check)


def apology_conditional(wording: Wording, situation: Situation) -> Iterator[Finding]:
    for span in CONDITIONAL.spans(wording):
        yield Finding(
            "apology.conditional",
            Severity.SEVERE,
            "A conditional apology ('sorry if…') reads as no apology, or as blame.",
            "Apologise for what happened, without 'if' and without 'you feel'.",
            span,
        )
        return


def name_missing(wording: Wording, situation: Situation) -> Iterator[Finding]:
    name = (situation.context.customer_name or "").strip()
    if not name or situation.channel.public or not situation.first_reply_to_complaint:
        return
    first = name.split()[0]
    if first.lower() not in wording.lower:
        yield Finding(
            "name.missing",
            Severity.INFO,
            "The reply does not use the customer's name.",
            f"Address them by name: 'Hi {first},'.",
        )


RULES = (
    Rule("issue.unacknowledged", issue_unacknowledged),
    _missing(
        "empathy.missing",
        EMPATHY,
        Severity.WARNING,
        "Nothing recognises how the customer feels.",
        "Name the feeling: 'I can see how frustrating this has been.'",
    ),
    _missing(
        "apology.missing",
        APOLOGY,
        Severity.WARNING,
        "There is no apology.",
        "Apologise plainly for what happened: 'I'm sorry your order arrived damaged.'",
    ),
    Rule("apology.conditional", apology_conditional),
    _missing(
        "thanks.missing",
        THANKS,
        Severity.INFO,
        "The reply does not thank the customer.",
        "Thank them for telling you, or for the chance to put it right.",
    ),
    Rule("name.missing", name_missing),
)
