"""Organisations and their people: credit codes, registration and claiming, consultants' grants, who may see what, passwords. No Flask."""
