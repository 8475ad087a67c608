"""Regions and their figures: GB/T 2260 regions, periods, facts, small-cell suppression, the dashboard as data. No Flask."""
