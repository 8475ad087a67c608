"""Languages: Chinese by default, English complete; chosen per user, switchable on every page."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

babel = Babel()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context() and request.path.startswith("/api/v1/"):
        # the API speaks the language its client asks for (Accept-Language), Chinese by default
        return request.accept_languages.best_match(
            languages, default=current_app.config["BABEL_DEFAULT_LOCALE"]
        )
    lang = session.get("lang")
    if lang in languages:
        return lang
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def lang() -> str:
    """The current language code, 'zh' or 'en' (the key of bilingual questionnaire texts)."""
    return get_locale().language


def text(value) -> str:
    """Pick the current language from a bilingual text (a Text, or a {zh, en} mapping)."""
    if not value:
        return ""
    return value.get(lang()) or ""


def listing(items, language: str | None = None) -> str:
    """Items in a run: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return ("、" if (language or lang()) == "zh" else ", ").join(items)


def sentences(*parts) -> Markup:
    """Sentences one after the other: a space between them in English, none after a Chinese
    full stop (a line break in the template would show as one). Empty parts are left out."""
    return escape("" if lang() == "zh" else " ").join(part for part in parts if part)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(lang=lang, t=text, sentences=sentences, listing=listing)
