"""Assessments as use cases: starting, answering, keeping answers over an expired session, evidence, submitting. No Flask."""
