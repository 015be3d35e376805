"""The OpenAPI 3.1 document of the API, built from the app (``GET /api/openapi.json``).

- :mod:`api.openapi.model`: how a route is described (query, body, replies);
- :mod:`api.openapi.schemas`: the shared JSON Schemas and the security schemes;
- :mod:`api.openapi.registry_api`, :mod:`api.openapi.registry_web`: one entry per endpoint;
- :mod:`api.openapi.builder`: walks ``app.url_map`` and assembles the document;
- :mod:`api.openapi.route`: the route that serves it.
"""

from api.openapi.builder import build_document, slow_operations, undocumented

__all__ = ["build_document", "slow_operations", "undocumented"]
