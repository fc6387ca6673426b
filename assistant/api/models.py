"""Request models shared by several routes. Unknown fields are an error, not silently dropped."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.domain import Filters

Name = Annotated[str, StringConstraints(max_length=200)]
# A turn of a conversation: long enough for an earlier answer with its sources. The rewriter reads
# only turns as short as a question, so a longer one costs nothing but its bytes.
MAX_TURN_CHARS = 20_000
TurnText = Annotated[str, StringConstraints(max_length=MAX_TURN_CHARS)]
NameList = Annotated[list[Name], Field(max_length=50)]
FILTER_FIELDS = {f.name for f in fields(Filters)}


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FiltersIn(StrictModel):
    doc_type: NameList = []
    publisher: NameList = []
    region: NameList = []
    municipality: NameList = []
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    examples_only: bool = False
    sources: NameList = []

    def to_filters(self) -> Filters:
        return Filters(**self.model_dump(include=FILTER_FIELDS))


class Turn(StrictModel):
    role: Literal["user", "assistant"]
    content: TurnText


History = Annotated[list[Turn], Field(max_length=40)]


def history_dicts(history: list[Turn]) -> list[dict[str, str]]:
    return [turn.model_dump() for turn in history]
