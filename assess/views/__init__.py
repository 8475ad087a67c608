"""Blueprints: thin views that parse, call the domain or the store, and render."""
