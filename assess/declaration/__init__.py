"""The 智能工厂梯度培育 programme: rounds, declarations, their review, on-site re-checks and
recognitions (use cases, no Flask)."""
