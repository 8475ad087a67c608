"""Flask plumbing: access rules, login sessions, read log, security headers, errors, languages, templating, forms."""
