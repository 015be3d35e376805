"""Flask app, routes, the orchestrator, the worker, the CLI."""
