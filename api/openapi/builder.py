"""Build the OpenAPI 3.1 document from the app itself (tài liệu OpenAPI của API).

Paths, methods and path parameters come from ``app.url_map`` (the Flask converters give the
parameter types), the summary from the view's docstring, the security from the permission the
view declares (``api.auth.permission``). Query, body and response schemas come from the
registry (``api.openapi.registry_*``), keyed by endpoint: :func:`undocumented` lists the
routes the registry does not describe, for a test to fail on.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from api.auth import AUDIT_ATTR, declared_permission
from api.openapi.model import HTML, PROBLEM, PROBLEM_REF, Reply, RouteDoc, Schema
from api.openapi.registry_api import API_ROUTES
from api.openapi.registry_web import WEB_ROUTES
from api.openapi.schemas import SCHEMAS, SECURITY_SCHEMES
from storage.auth import Permission

OPENAPI_VERSION = "3.1.0"
HIDDEN_METHODS = frozenset({"HEAD", "OPTIONS"})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")
REGISTRY: dict[str, RouteDoc] = {**API_ROUTES, **WEB_ROUTES}
ERRORS = {400: "Yêu cầu không hợp lệ / invalid request",
          401: "Cần đăng nhập hoặc mã truy cập sai / authentication required",
          403: "Không có quyền, hoặc thiếu mã CSRF / forbidden or CSRF token missing",
          404: "Không tìm thấy (hoặc thuộc đơn vị khác) / not found (or another unit's)"}
UNDOCUMENTED = RouteDoc((Reply(200, "Chưa mô tả / not yet described"),))


def documented_rules(app: Flask) -> Iterator[Rule]:
    """Every rule of ``app`` but the static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and not rule.endpoint.endswith(".static"):
            yield rule


def rule_methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - HIDDEN_METHODS)


def openapi_path(rule: Rule) -> str:
    """``/api/dossiers/<dossier_id>`` → ``/api/dossiers/{dossier_id}``."""
    return VARIABLE.sub(lambda m: "{" + m.group(1) + "}", rule.rule)


def undocumented(app: Flask, registry: dict[str, RouteDoc] | None = None) -> list[str]:
    """Routes whose endpoint has no entry in the registry."""
    known = REGISTRY if registry is None else registry
    return sorted(f"{','.join(rule_methods(r))} {r.rule} ({r.endpoint})"
                  for r in documented_rules(app) if r.endpoint not in known)


def slow_operations(app: Flask) -> set[tuple[str, str]]:
    """(METHOD, OpenAPI path) of the operations that run OCR, archiving or rendering."""
    return {(method, openapi_path(rule)) for rule in documented_rules(app)
            if REGISTRY.get(rule.endpoint, UNDOCUMENTED).slow for method in rule_methods(rule)}


def build_document(app: Flask, server_url: str = "/") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in documented_rules(app):
        view = app.view_functions.get(rule.endpoint)
        item = paths.setdefault(openapi_path(rule), {})
        for method in rule_methods(rule):
            item[method.lower()] = operation(rule, method, view,
                                             REGISTRY.get(rule.endpoint))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "sohoa API", "version": "1",
                 "description": "Số hóa hồ sơ thủ tục hành chính tại Bộ phận Một cửa. Lỗi dạng "
                                "application/problem+json (RFC 9457), thông báo tiếng Việt và "
                                "tiếng Anh. / Digitization of one-stop counter dossiers; errors "
                                "are RFC 9457 problems with Vietnamese and English messages."},
        "servers": [{"url": server_url}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
    }


def operation(rule: Rule, method: str, view: Callable[..., Any] | None,
              doc: RouteDoc | None) -> dict[str, Any]:
    described = doc or UNDOCUMENTED
    needed = declared_permission(view)
    summary, description = _docstring(view)
    found: dict[str, Any] = {
        "operationId": f"{rule.endpoint}.{method.lower()}",
        "summary": summary or described.summary or rule.endpoint,
        "tags": list(described.tags) or [rule.endpoint.split(".")[0]],
        "parameters": path_parameters(rule, described) + [p.as_openapi()
                                                          for p in described.query],
        "responses": responses(rule, described, needed),
        "security": security(needed, method),
        "x-sohoa-permission": needed.value if needed else None,
        "x-sohoa-audit-action": getattr(view, AUDIT_ATTR, None),
    }
    found["description"] = "\n\n".join(part for part in (
        description, f"Quyền / permission: `{needed.value if needed else 'none'}`.") if part)
    if described.body and method in UNSAFE:
        found["requestBody"] = {"required": described.body_required, "content": {
            media: {"schema": schema} for media, schema in described.body.items()}}
    if doc is None:
        found["x-sohoa-undocumented"] = True
    return found


def _docstring(view: Callable[..., Any] | None) -> tuple[str, str]:
    text = inspect.getdoc(view) if view is not None else None
    if not text:
        return "", ""
    first, _, rest = text.partition("\n\n")
    return " ".join(first.split()), rest.strip()


def path_parameters(rule: Rule, doc: RouteDoc) -> list[Schema]:
    return [{"name": name, "in": "path", "required": True,
             "schema": doc.path.get(name) or converter_schema(converter)}
            for name, converter in rule._converters.items()]


def converter_schema(converter: object) -> Schema:
    """JSON Schema of a werkzeug converter's values."""
    kind = type(converter).__name__
    if kind == "IntegerConverter":
        low = getattr(converter, "min", None)
        high = getattr(converter, "max", None)
        schema: Schema = {"type": "integer", "minimum": low if low is not None else 0}
        if high is not None:
            schema["maximum"] = high
        return schema
    if kind == "FloatConverter":
        return {"type": "number", "minimum": 0}
    if kind == "UUIDConverter":
        return {"type": "string", "format": "uuid"}
    if kind == "PathConverter":
        return {"type": "string", "minLength": 1}
    length = getattr(converter, "minlength", 1) or 1
    return {"type": "string", "minLength": length, "pattern": "^[^/]+$"}


def responses(rule: Rule, doc: RouteDoc, needed: Permission | None) -> dict[str, Schema]:
    error_content: Schema = {PROBLEM: {"schema": PROBLEM_REF}}
    if doc.page:
        error_content[HTML] = {"schema": {"type": "string"}}
    statuses = {400}
    if needed is not Permission.PUBLIC:
        statuses |= {401, 403}
    if rule.arguments:
        statuses.add(404)
    found = {str(reply.status): reply.as_openapi() for reply in doc.replies}
    for status in sorted(statuses - {reply.status for reply in doc.replies}):
        found[str(status)] = {"description": ERRORS[status], "content": error_content}
    found["default"] = {"description": "Lỗi khác (RFC 9457) / any other error",
                        "content": error_content}
    return found


def security(needed: Permission | None, method: str) -> list[dict[str, list[str]]]:
    if needed is Permission.PUBLIC:
        return []
    session: dict[str, list[str]] = {"sessionCookie": []}
    if method in UNSAFE:
        session["csrfToken"] = []
    return [{"bearerToken": []}, session]
