"""The words drafts are made of: several ways to say each part of HEART, so that two
customers with the same problem do not get the same text. `{...}` are the case's facts."""

from __future__ import annotations

# What went wrong, as a noun phrase; {s} is what it concerns, in the customer's words.
ISSUE = {
    "delay": ["the delay with {s}", "{s} running late", "how late {s} has been"],
    "cancellation": [
        "the cancellation of {s}",
        "{s} being cancelled",
        "having {s} cancelled on you",
    ],
    "damaged_or_defective": [
        "the damage to {s}",
        "{s} arriving damaged",
        "{s} not working as it should",
    ],
    "wrong_or_missing_item": [
        "the mix-up with {s}",
        "{s} arriving wrong or incomplete",
        "what was missing from {s}",
    ],
    "lost_item": ["losing {s}", "{s} going missing", "not being able to find {s}"],
    "billing_and_refunds": [
        "the problem with {s}",
        "the mix-up with {s}",
        "how {s} has been handled",
    ],
    "staff_attitude": [
        "the way our team treated you",
        "how you were spoken to",
        "the way you were treated",
    ],
    "wait_time": [
        "how long you were kept waiting",
        "the long wait",
        "the wait you were put through",
    ],
    "booking_or_account_access": [
        "the trouble with {s}",
        "not being able to get into {s}",
        "the problem with {s}",
    ],
    "technical_problem": ["the problem with {s}", "{s} not working properly", "the fault with {s}"],
    "product_quality": [
        "the quality of {s}",
        "{s} falling short",
        "how disappointing {s} turned out",
    ],
    "policy": [
        "how our policy affected you",
        "the way our rules left you",
        "how our policy was applied to you",
    ],
    "other": ["what happened with {s}", "the problem with {s}", "your experience with {s}"],
}
SUBJECT = {
    "delay": "your order",
    "cancellation": "your booking",
    "damaged_or_defective": "your item",
    "wrong_or_missing_item": "your order",
    "lost_item": "your item",
    "billing_and_refunds": "your bill",
    "booking_or_account_access": "your account",
    "technical_problem": "our service",
    "product_quality": "your purchase",
    "other": "us",
}
EMPATHY = {
    "anger": [
        "I understand why you're angry, and you have every right to be.",
        "You have every reason to be angry about this.",
        "I can see why this made you so angry.",
        "I'd be angry in your place too.",
    ],
    "annoyance": [
        "I can imagine how frustrating this has been.",
        "That sounds really frustrating.",
        "I understand how annoying this must be.",
        "I know how frustrating it is to be let down like this.",
    ],
    "disappointment": [
        "I can see how disappointing this was.",
        "I understand how let down you must feel.",
        "That's not the experience you should have had with us.",
        "I know how disappointing it is when something you counted on goes wrong.",
    ],
    "sadness": [
        "I can hear how upsetting this has been.",
        "I understand how upsetting this is.",
        "I'm sorry this has caused you so much upset.",
    ],
    "fear": [
        "I understand how worrying this is.",
        "I can imagine how stressful this has been.",
        "I know this has left you worried, and I want to settle it quickly.",
    ],
    "confusion": [
        "I understand how confusing this has been.",
        "I can see why this was confusing.",
        "I know it's hard when nobody gives you a clear answer.",
    ],
    None: [
        "I can imagine how frustrating this has been.",
        "I understand how disappointing this is.",
        "That's not the experience you should have had.",
        "I can see why you're unhappy about it.",
    ],
}
APOLOGY = [
    "I'm sorry for {issue}.",
    "I'm truly sorry about {issue}.",
    "Please accept my apology for {issue}.",
    "I apologise for {issue}; it is not the standard we hold ourselves to.",
    "I'm really sorry about {issue}.",
]
HEAR = [
    "Thank you for telling us about {issue}{when}.",
    "I've read your message about {issue}{when}.",
    "Thanks for letting us know about {issue}{when}.",
    "I'm writing about {issue}{when}.",
    "I've just read about {issue}{when}.",
]
# What we do next, by category, when the customer is not choosing a remedy.
STEP = {
    "delay": [
        "I'm checking where {s} is right now",
        "I've asked our logistics team for an update on {s}",
    ],
    "cancellation": [
        "I'm looking at the options to rebook or refund {s}",
        "I've started on a rebooking or a refund, whichever you prefer",
    ],
    "damaged_or_defective": [
        "I'd like to arrange a replacement or a refund, whichever you prefer",
        "I've started on a replacement for {s}",
    ],
    "wrong_or_missing_item": [
        "I'm arranging for the right item to be sent",
        "I've asked our warehouse to send what was missing",
    ],
    "lost_item": [
        "I've asked our team to trace {s}",
        "I'm tracing {s} with the team who handled it",
    ],
    "billing_and_refunds": [
        "I'm going through the charges myself",
        "I've asked our billing team to review {s}",
    ],
    "staff_attitude": [
        "I've shared what happened with the manager responsible",
        "I've passed this to the team's manager to follow up",
    ],
    "wait_time": [
        "I've passed this to the people who plan our staffing",
        "I'm looking into why the wait was so long",
    ],
    "booking_or_account_access": [
        "I'm looking into {s} now",
        "I've asked our account team to restore your access",
    ],
    "technical_problem": [
        "I've passed the details to our technical team",
        "I'm working with our engineers on the fault",
    ],
    "product_quality": [
        "I've shared this with our quality team, and I want to make it right for you",
        "I'd like to replace it or refund you, whichever you prefer",
    ],
    "policy": [
        "I've asked a senior colleague to review how the policy was applied",
        "I'm reviewing your case against the policy with my manager",
    ],
    "other": ["I'm looking into what went wrong", "I've started looking into this personally"],
}
WHEN_NEXT = [
    "You'll hear from me within {update}, and we aim to have it resolved within {resolution}.",
    "I'll update you within {update}; our aim is to resolve it within {resolution}.",
    "Expect an update from me within {update}, with the whole thing settled within {resolution}.",
    "My next update comes within {update}; the latest we expect to finish is {resolution} from your first message.",
    "You'll get my next note within {update}. Everything should be done inside {resolution}.",
]
WHEN_RESOLVED = [
    "We aim to have it resolved within {resolution}.",
    "I'll come back to you with the outcome within {resolution}.",
    "You'll have an answer from me within {resolution}.",
]
WHEN_UNKNOWN = [
    "I'll update you as soon as I know more.",
    "I'll come back to you as soon as I have an answer.",
]
CHOICE = [
    "To put this right, you can choose {options}.",
    "I'd like to put this right, and you can pick what suits you best: {options}.",
    "Here is what I can offer, and the choice is yours: {options}.",
]
CHOICE_LINK = [
    "Choose here: {link}",
    "You can pick one at this link: {link}",
    "Use this link to choose: {link}",
]
CHOICE_REPLY = [
    "Just reply with the one you'd prefer, and I'll arrange it within {resolution}.",
    "Let me know which you'd like and I'll have it arranged within {resolution}.",
]
UPDATE = [
    "A quick update on {issue}.",
    "Here's where things stand with {issue}.",
    "I wanted to let you know how {issue} is going.",
    "Following up on {issue}.",
]
PROGRESS = [
    "It's in hand, and there's nothing you need to do right now.",
    "The work is underway on our side.",
    "I'm still on it, and I'll tell you the moment it moves.",
    "It's moving, and I'm keeping an eye on it myself.",
]
THANKS = [
    "Thank you for giving us the chance to put this right.",
    "Thank you for raising this with us.",
    "I appreciate you taking the time to tell us.",
    "Thank you for your patience while I sort this out.",
    "Many thanks for bearing with us.",
    "We're grateful for your patience with this.",
    "Thanks again for letting us know.",
]
#: The automatic acknowledgement speaks for the team ("we"), never as a person who read the
#: message, says what it is, and when a person will answer.
ACK_HEAR = [
    "Thank you for telling us about {issue}{when}.",
    "Thanks for letting us know about {issue}{when}.",
    "Thank you for writing to us about {issue}{when}.",
]
ACK_FEEL = [
    "We know how frustrating that must be, and we're sorry it happened.",
    "We understand how disappointing this is, and we're very sorry.",
    "We can imagine how upsetting this is, and we apologise for it.",
]
ACK_NEXT = [
    "This is an automatic reply to let you know your message has reached us: someone from our "
    "team will answer you personally within {within}.",
    "We're writing automatically so you know we have your message; a member of our team will "
    "reply to you in person within {within}.",
    "This automatic note confirms we've received your message, and a person from our team will "
    "get back to you within {within}.",
]
#: The follow-up check-in after the remedy: what it is about, the survey link, and a way back
#: in if something is still wrong. Never asks for a good rating.
CHECK_IN_OPEN = [
    "We wanted to check in about {issue}{when}, now that we've done our part to put it right.",
    "It's been a little while since we sorted out {issue}{when}, and we'd like to know how "
    "things stand.",
    "We're following up on {issue}{when}, to make sure it really is resolved for you.",
]
CHECK_IN_ASK = [
    "Could you tell us how we did? It's two quick questions and a space for anything else: {link}",
    "If you have a minute, this short page asks whether it's solved and how we handled it: {link}",
    "We'd really value your answer to two short questions about how this went: {link}",
]
CHECK_IN_HELP = [
    "If anything still isn't right, just reply to this email and we'll pick it up straight away.",
    "And if something is still wrong, reply here and we'll get back on it at once.",
    "Should anything still need fixing, answer this email and we'll take it from there.",
]
REMIND_OPEN = [
    "A short reminder about our question on {issue}: we'd still like to know whether it's "
    "really resolved.",
    "We haven't heard back about {issue}, so here is our question again in case it got buried.",
    "Just one more note about {issue}: your answer helps us get things right.",
]
REMIND_ASK = [
    "The page is here, and it takes a minute: {link}",
    "You can answer here, until {until}: {link}",
    "Here's the link once more: {link}",
]
REMIND_EASE = [
    "If you'd rather not answer, that's fine too, and you won't hear from us about it again.",
    "No need to reply if you'd prefer not to; this is the last reminder.",
]
#: Review invitations are the same words for every customer and every answer: neutral, with no
#: hint at the rating wanted (docs/review-invitations.md).
REVIEW_INVITATION = "If you'd like to, you're welcome to share how this went on {platform}: {url}"
GREETING = ["Hi {first},", "Hello {first},", "Dear {first},"]
GREETING_NO_NAME = ["Hello,", "Hi there,"]
SIGN_OFF = ["Best wishes,", "Kind regards,", "All the best,", "Warm regards,"]
REMEDY_NAMES = {
    "apology": "a personal apology from our manager",
    "refund": "a full refund",
    "partial_credit": "a partial credit on your account",
    "replacement": "a replacement",
    "upgrade": "an upgrade",
    "voucher": "a voucher for your next visit",
    "expedited_reshipment": "express reshipping at no cost",
    "senior_callback": "a call from a senior colleague",
}

# Public replies: short, no personal data, and the details move to a private channel.
PUBLIC_OPEN = [
    "{hi}I'm sorry about {issue}. {feel}",
    "{hi}I'm so sorry about {issue}. {feel}",
    "{hi}{sorry} to hear about {issue}. {feel}",
    "{hi}I apologise for {issue}. {feel}",
]
PUBLIC_FEEL = {
    "anger": ["You have every right to be angry.", "I understand why you're angry."],
    "annoyance": ["That sounds really frustrating.", "I can imagine how frustrating that is."],
    "disappointment": [
        "That's not the experience you should have had.",
        "I understand how disappointing that is.",
    ],
    "sadness": ["I understand how upsetting this is.", "I can hear how upsetting it's been."],
    "fear": ["I understand how worrying this is.", "I can imagine how stressful it is."],
    "confusion": ["I understand how confusing this is.", "I can see why it's confusing."],
    None: [
        "That's not the experience you should have had.",
        "I can imagine how frustrating that is.",
    ],
}
PUBLIC_MOVE = [
    "Please {route} with {need} so we can {step}; we'll reply within {first}.",
    "Could you {route} with {need}? We'll {step} and reply within {first}.",
    "{Route} with {need} and we'll {step}; you'll hear back within {first}.",
]
PUBLIC_THANKS = ["Thanks for flagging it.", "Thank you for telling us.", "Thanks for raising it."]
PUBLIC_STEP = {
    "delay": "find out where it is",
    "cancellation": "sort out your options",
    "damaged_or_defective": "put it right",
    "wrong_or_missing_item": "put it right",
    "lost_item": "start tracing it",
    "billing_and_refunds": "check the charges",
    "staff_attitude": "look into what happened",
    "wait_time": "look into it",
    "booking_or_account_access": "get you back in",
    "technical_problem": "fix it",
    "product_quality": "make it right",
    "policy": "review it",
    "other": "look into it",
}
PUBLIC_NEED = {
    "delay": "your order or booking number",
    "cancellation": "your booking reference",
    "lost_item": "your reference number",
    "billing_and_refunds": "the details of the charge",
    "booking_or_account_access": "the email on your account",
}
ROUTE = {
    "twitter": "send us a DM",
    "instagram": "send us a direct message",
    "facebook": "send us a private message",
    "youtube": "email us",
    "appstore": "email us",
    "review": "email us",
}

# A call script: what to say, and when to stop and listen.
PHONE_OPEN = [
    "Hi, is that {first}? This is {agent} from {business}, calling about {issue}.",
    "Hello {first}, it's {agent} from {business}. I'm calling about {issue}.",
]
PHONE_LISTEN = [
    "Could you tell me in your own words what happened? (Let them finish; note the facts.)",
    "Before I say anything, would you walk me through what happened? (Listen; don't interrupt.)",
]
PHONE_CHECK = [
    "Does that work for you, and is there anything else I should know?",
    "How does that sound? Is there anything I've missed?",
]
