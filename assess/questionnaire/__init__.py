"""The questionnaire: model, loader and checks, wizard pages. Pure: no Flask, no database."""
