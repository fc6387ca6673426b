"""The HTTP API: one router per feature; `assistant.api.app.create_app` puts them together."""
