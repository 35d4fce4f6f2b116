"""Feedback as the API takes it in (the webhook and token ingest) and gives it out."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from amends.api.errors import problem, unprocessable
from amends.ingest import fields
from amends.ingest.model import ITEM_FIELDS, FieldError, ItemIn
from amends.store.tables import Priority, Sentiment

#: Most items one request may carry, and most problems one 422 lists.
MAX_ITEMS = 1000
MAX_PROBLEMS = 50


def _storable(value: str | None) -> str | None:
    """Refuse what no database column can hold, rather than fail on INSERT."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"holds an unpaired surrogate at character {exc.start + 1}") from exc
    return value


def _string(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value.strip() or None


def _required(value: Any) -> str:
    text = _string(value)
    if text is None:
        raise ValueError("must not be empty")
    return text


def _id(value: Any) -> str | None:
    # Many platforms number their items; an id is still text to us.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string(value)


def _lower(value: Any) -> str | None:
    text = _string(value)
    return text.lower() if text else None


def _converted(parse: Callable[[Any, str], Any], name: str) -> BeforeValidator:
    """One of ingest's converters, so the webhook and file imports read values alike."""

    def convert(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            raise ValueError("must be a string or a number")
        try:
            return parse(value, name)
        except FieldError as exc:
            raise ValueError(exc.message) from exc

    return BeforeValidator(convert)


Text = Annotated[str, BeforeValidator(_required), AfterValidator(_storable)]
OptionalText = Annotated[str | None, BeforeValidator(_string), AfterValidator(_storable)]
LowerText = Annotated[str | None, BeforeValidator(_lower), AfterValidator(_storable)]
IdText = Annotated[str | None, BeforeValidator(_id), AfterValidator(_storable)]


def _about(name: str, max_length: int | None = None, **more: Any) -> Any:
    return Field(None, description=ITEM_FIELDS[name], max_length=max_length, **more)


class FeedbackIn(BaseModel):
    """One feedback item, with our field names. Only `text` is required."""

    model_config = ConfigDict(extra="forbid")

    text: Text = Field(description=ITEM_FIELDS["text"])
    external_id: IdText = _about("external_id", 200)
    channel: LowerText = Field(
        None, max_length=40, description=ITEM_FIELDS["channel"] + " Default: the source's."
    )
    author: OptionalText = _about("author", 300)
    author_handle: OptionalText = _about("author_handle", 300)
    author_reach: Annotated[int | None, _converted(fields.parse_count, "author_reach")] = _about(
        "author_reach", ge=0
    )
    email: OptionalText = _about("email", 320)
    title: OptionalText = _about("title", 500)
    rating: Annotated[int | None, _converted(fields.parse_rating, "rating")] = _about(
        "rating", ge=1, le=5
    )
    url: OptionalText = _about("url", 2000)
    posted_at: Annotated[datetime | None, _converted(fields.parse_datetime, "posted_at")] = _about(
        "posted_at"
    )
    product: OptionalText = _about("product", 300)
    business: OptionalText = _about("business", 300)
    location: OptionalText = _about("location", 300)
    language: LowerText = _about("language", 8)

    def to_item(self, *, source: str, channel: str, raw: str) -> ItemIn:
        values = self.model_dump(exclude={"channel"})
        return ItemIn(source=source, channel=self.channel or channel, raw=raw, **values)


class Received(BaseModel):
    """An item as parsed, with its JSON as received, which is stored with it."""

    raw: str
    item: FeedbackIn


def parse_feedback(body: bytes) -> list[Received]:
    """Read a webhook or ingest body: one item, `{"items": [...]}` or `[...]`.

    Raises a 422 naming every bad field (`items[2].rating`), up to MAX_PROBLEMS.
    """
    elements, prefix = _elements(_decode(body))
    received: list[Received] = []
    problems: list[dict[str, Any]] = []
    for index, element in enumerate(elements):
        loc: list[str | int] = [*prefix, index] if prefix else []
        try:
            item = FeedbackIn.model_validate(element)
        except ValidationError as exc:
            problems.extend(_problems(exc, loc))
            continue
        received.append(Received(raw=json.dumps(element, ensure_ascii=False), item=item))
    if problems:
        raise unprocessable(problems[:MAX_PROBLEMS])
    return received


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _decode(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise unprocessable([problem([], f"not valid JSON: {exc}", "json_invalid")]) from exc


def _elements(data: Any) -> tuple[list[Any], list[str | int]]:
    """The items a body holds, and the loc they are numbered under (none for a single item)."""
    if isinstance(data, dict) and "items" in data:
        extra = sorted(set(data) - {"items"})
        if extra:
            raise unprocessable([problem([key], "a batch holds only `items`") for key in extra])
        data = data["items"]
        if not isinstance(data, list):
            raise unprocessable([problem(["items"], "must be an array of items")])
    elif isinstance(data, dict):
        return [data], []
    elif not isinstance(data, list):
        msg = 'must be an item object, {"items": [...]} or an array of items'
        raise unprocessable([problem([], msg)])
    _check_count(len(data))
    return data, ["items"]


def _check_count(count: int) -> None:
    if count == 0:
        raise unprocessable([problem(["items"], "must hold at least one item")])
    if count > MAX_ITEMS:
        msg = f"holds {count} items; send at most {MAX_ITEMS} per request"
        raise unprocessable([problem(["items"], msg)])


def _problems(exc: ValidationError, prefix: list[str | int]) -> list[dict[str, Any]]:
    found = []
    for error in exc.errors(include_url=False, include_input=False):
        msg = error["msg"]
        if error["type"] == "value_error":
            msg = str(error["ctx"]["error"])
        elif error["type"] == "extra_forbidden":
            msg = f"unknown field; the fields are: {', '.join(ITEM_FIELDS)}"
        found.append(problem([*prefix, *error["loc"]], msg, error["type"]))
    return found


class RiskFactorPublic(BaseModel):
    name: str = Field(description="e.g. `legal`, `one_star`, `churn` (docs/triage-rules.md).")
    points: int
    reason: str = Field(description="The evidence, quoted: why this factor applies.")


class PiiSpanPublic(BaseModel):
    kind: str
    start: int
    end: int


class TriagePublic(BaseModel):
    """What triage understood of the item: docs/models.md and docs/triage-rules.md."""

    model_config = ConfigDict(from_attributes=True)

    sentiment: Sentiment
    sentiment_score: float
    emotions: dict[str, float]
    emotion: str | None
    category: str
    category_score: float
    language: str
    language_score: float
    pii: list[PiiSpanPublic]
    risk: int
    risk_factors: list[RiskFactorPublic] = Field(description="Largest contribution first.")
    priority: Priority
    model: str
    triaged_at: datetime


class FeedbackPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    channel: str
    external_id: str | None
    author: str | None
    author_handle: str | None
    author_reach: int | None
    email: str | None
    title: str | None
    text: str
    rating: int | None
    url: str | None
    product: str | None
    business: str | None
    location: str | None
    language: str | None
    posted_at: datetime | None
    received_at: datetime
    customer_id: int | None
    case_id: int | None
    triage: TriagePublic | None


class FeedbackDetail(FeedbackPublic):
    raw: str = Field(description="The item's JSON or row exactly as it arrived.")


class FeedbackPage(BaseModel):
    items: list[FeedbackPublic]
    next_cursor: int | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class FeedbackReceipt(BaseModel):
    received: int = Field(description="Items in the request.")
    imported: int = Field(description="Items stored now.")
    duplicates: int = Field(
        description="Items already stored: the same source and external_id or, without one, "
        "the same content (channel, author, posted time and text)."
    )
    items: list[int] = Field(description="Ids of the items stored now.")
    cases: list[int] = Field(description="Ids of the cases those items opened or joined.")


def body_schema() -> dict[str, Any]:
    """The request body for OpenAPI: the body is read by hand, after the signature check."""
    item = FeedbackIn.model_json_schema()
    batch = {"type": "object", "properties": {"items": {"type": "array", "items": item}}}
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"oneOf": [item, batch, {"type": "array", "items": item}]},
                "example": {"items": [{"external_id": "r-1", "text": "Late again", "rating": 2}]},
            }
        },
    }
