"""What the registry says about one route: its query, body and answers (mô tả một đường dẫn).

A :class:`RouteDoc` is declared per Flask endpoint in ``api.openapi.registry_*``; the builder
adds what the app itself knows (path, methods, path parameters, permission, summary).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]
PROBLEM_REF: Schema = {"$ref": "#/components/schemas/Problem"}
PROBLEM = "application/problem+json"
JSON, HTML, PDF, CSV = "application/json", "text/html", "application/pdf", "text/csv"
FORM, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
BINARY: Schema = {"type": "string", "format": "binary"}
TEXT: Schema = {"type": "string"}


@dataclass(frozen=True)
class Param:
    """A query parameter; ``many`` for a repeatable one (``?unit=a&unit=b``)."""

    name: str
    schema: Schema
    description: str = ""
    required: bool = False
    many: bool = False

    def as_openapi(self) -> Schema:
        schema = {"type": "array", "items": self.schema} if self.many else self.schema
        found: Schema = {"name": self.name, "in": "query", "required": self.required,
                         "schema": schema}
        if self.many:
            found.update(style="form", explode=True)
        if self.description:
            found["description"] = self.description
        return found


@dataclass(frozen=True)
class Reply:
    """One answer: status, description and its body per media type (empty: no body)."""

    status: int
    description: str
    content: dict[str, Schema] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def as_openapi(self) -> Schema:
        found: Schema = {"description": self.description}
        if self.content:
            found["content"] = {media: {"schema": schema}
                                for media, schema in self.content.items()}
        if self.headers:
            found["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                                for name, text in self.headers.items()}
        return found


@dataclass(frozen=True)
class RouteDoc:
    """Everything about a route that the app cannot tell by itself.

    ``page`` marks an HTML page: its errors come back as an HTML page (or a problem for
    routing errors); otherwise errors are ``application/problem+json``.
    """

    replies: tuple[Reply, ...]
    query: tuple[Param, ...] = ()
    body: dict[str, Schema] = field(default_factory=dict)
    body_required: bool = True
    path: dict[str, Schema] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    page: bool = False
    slow: bool = False  # runs OCR, archiving or rendering: documented, not fuzzed
    summary: str = ""


def json_reply(status: int, description: str, schema: Schema, **headers: str) -> Reply:
    return Reply(status, description, {JSON: schema}, headers)


def problem_reply(status: int, description: str) -> Reply:
    return Reply(status, description, {PROBLEM: PROBLEM_REF})


def obj(needed: tuple[str, ...] = (), /, **properties: Schema) -> Schema:
    """A JSON object schema with ``properties``, of which ``needed`` are required."""
    schema: Schema = {"type": "object", "properties": properties}
    if needed:
        schema["required"] = list(needed)
    return schema


def nullable(schema: Schema) -> Schema:
    """``schema`` or null (OpenAPI 3.1 / JSON Schema 2020-12)."""
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def string(description: str = "", **more: Any) -> Schema:
    schema: Schema = {"type": "string", **more}
    if description:
        schema["description"] = description
    return schema


def integer(low: int | None = None, high: int | None = None, description: str = "") -> Schema:
    schema: Schema = {"type": "integer"}
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    if description:
        schema["description"] = description
    return schema
