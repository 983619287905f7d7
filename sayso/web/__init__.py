"""The web layer: a REST API (FastAPI, OpenAPI at /openapi.json) and server-rendered pages."""
from .app import create_app

__all__ = ["create_app"]
