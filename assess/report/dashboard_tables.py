"""A regional dashboard as tables: one CSV each, or an Excel workbook with a sheet each, the
same figures as the page (suppressed alike), with the legend and the notes. No Flask."""

from __future__ import annotations

from assess.report.exports import Share
from assess.translation import today_in_china, translator


def legend(lang: str) -> str:
    """Said beside the figures on the page, in the PDF and in the exports."""
    return translator(lang).gettext(
        "“×”: not published, to protect enterprises that did not declare (a figure that would"
        " tell about one to four of them, or from which such a count could be worked out); a"
        " cell “×” may hold any number. “—”: a share or an average not shown, because a figure"
        " it is made of is not published. Declarations and recognitions are counted exactly."
    )


def shares_note(lang: str) -> str:
    return translator(lang).gettext(
        "Shares are of the enterprises that assessed themselves here, not of all enterprises"
        " of the region."
    )


def table_labels(lang: str) -> dict[str, str]:
    """Each table's name: a CSV's name, an Excel sheet's, a link's on the page."""
    _ = translator(lang).gettext
    return {
        "summary": _("Summary"),
        "levels": _("Smart-factory levels"),
        "cmmm_levels": _("Capability maturity levels"),
        "participation": _("Participation"),
        "trend": _("Level 2 or above by quarter"),
        "declarations": _("Declarations"),
        "regions": _("Sub-regions"),
        "parks": _("Parks"),
        "sectors": _("Sectors"),
        "sizes": _("Sizes"),
        "scenarios": _("Typical scenarios"),
        "weakest": _("Weakest sub-domains"),
        "gaps": _("Most common gaps"),
        "progress": _("Progress by quarter"),
        "candidates": _("Candidates"),
    }


def _rounded(value, digits: int):
    """A share for a spreadsheet: three decimals, not fifteen, a percentage in Excel (a hidden
    one as it is)."""
    return Share(round(value, digits)) if isinstance(value, float) else value


def dashboard_tables(data: dict, lang: str) -> dict[str, tuple[list[str], list[list]]]:
    """Every table of the dashboard, for CSV (one) and Excel (all, a sheet each)."""
    _ = translator(lang).gettext
    levels = data["level_names"]
    tables = {
        "summary": (
            [_("Figure"), _("Value")],
            [
                [_("Scope"), data["scope"]["name"]],
                [_("As of"), data["scope"]["as_of"] or today_in_china().isoformat()],
                [_("Enterprises assessed"), data["enterprises"]],
                [_("Self-assessed"), data["self_assessed"]],
                [_("Verified on site"), data["verified"]],
                [
                    _("Share at capability maturity level 2 or above"),
                    _rounded(data["cmmm_2_plus_share"], 3),
                ],
                [_("Target for 2027: share at level 2 or above"), Share(data["targets"]["2027"])],
                [_("Target for 2030: share at level 2 or above"), Share(data["targets"]["2030"])],
                [_("Excellent factories recognised"), data["excellent_recognised"]],
                [
                    _("Target for 2027: Excellent factories nationally"),
                    data["excellent_targets"]["2027"],
                ],
                [
                    _("Target for 2030: Excellent factories nationally"),
                    data["excellent_targets"]["2030"],
                ],
                [
                    _("Assessed at Excellent or above, not a recognition"),
                    data["excellent_plus"],
                ],
                [_("Mean total score S"), data["mean_score"]],
                [_("Notes"), _("Self-assessment / diagnosis result, not an official rating.")],
                [_("Notes"), shares_note(lang)],
                [_("Notes"), legend(lang)],
            ],
        ),
        "levels": (
            [_("Smart-factory level"), _("Enterprises")],
            [[r["name"], r["count"]] for r in data["levels"] + data["levels_merged"]],
        ),
        "cmmm_levels": (
            [_("Capability maturity"), _("Enterprises")],
            [[r["name"], r["count"]] for r in data["cmmm_levels"] + data["cmmm_merged"]],
        ),
        "participation": (
            [_("Stage"), _("Enterprises")],
            [[r["label"], r["count"]] for r in data["funnel"]],
        ),
        "trend": (
            [
                _("As of"),
                _("Enterprises assessed"),
                _("Share at capability maturity level 2 or above"),
            ],
            [[r["period"], r["enterprises"], _rounded(r["share"], 3)] for r in data["trend"]],
        ),
        "declarations": (
            [
                _("Level"),
                _("Declared"),
                _("In review"),
                _("Recognised"),
                _("Recommended to the ministry"),
                _("Rejected"),
                _("Withdrawn or revoked"),
            ],
            [
                [
                    r["name"],
                    r["declared"],
                    r["in_review"],
                    r["recognised"],
                    "—" if r["recommended"] is None else r["recommended"],
                    r["rejected"],
                    r["withdrawn"],
                ]
                for r in data["programme"]["levels"]
            ],
        ),
    }
    for name in ("regions", "parks", "sectors", "sizes"):
        table = data["breakdowns"].get(name)
        if table:
            tables[name] = _breakdown(data, table, name, lang)
    tables["scenarios"] = (
        [_("Scenario"), _("not applicable"), *levels, data["levels_merged"][0]["name"]],
        [
            [f"{r['number']}. {r['name']}", r["not_applicable"], *r["counts"], r["basic_plus"]]
            for r in data["scenarios"]
        ],
    )
    tables["weakest"] = (
        [_("Sub-domain"), _("Mean score (0–5)")],
        [[r["name"], r["mean"]] for r in data["weakest"]],
    )
    tables["gaps"] = (
        [_("Level"), _("Rule"), _("Enterprises failing it")],
        [[r["level"], r["text"], r["count"]] for r in data["gaps"]],
    )
    tables["progress"] = (
        [
            _("Quarter"),
            _("Re-assessments"),
            _("Moved up"),
            _("Stayed"),
            _("Moved down"),
            _("Share at capability maturity level 2 or above"),
            _("Mean total score S"),
        ],
        [
            [
                r["quarter"],
                r["assessments"],
                r["up"],
                r["same"],
                r["down"],
                _rounded(r["cmmm_2_plus_share"], 3),
                r["mean_score"],
            ]
            for r in data["progress"]
        ],
    )
    tables["candidates"] = (
        [
            _("Enterprise"),
            _("Region"),
            _("Smart-factory level"),
            "S",
            _("Verified on site"),
            _("One rule from"),
            _("The rule missing"),
        ],
        [
            [
                c["name"],
                c["region"],
                c["level"],
                c["cmmm_score"],
                _("yes") if c["verified"] else "",
                c["next_level"],
                "; ".join(c["missing"]),
            ]
            for c in data["candidates"]
        ],
    )
    return tables


def _breakdown(data: dict, table: dict, name: str, lang: str) -> tuple[list[str], list[list]]:
    """A breakdown as the page shows it: for regions their codes, for regions and parks the
    share at capability maturity level 2 or above, and the total row."""
    _ = translator(lang).gettext
    coded, share = name == "regions", name in ("regions", "parks")
    prefix = data["scope"]["prefix"]  # the total row's code: the scope's own region
    headers = [
        *([_("Region code")] if coded else []),
        _("Group"),
        *data["level_names"],
        data["levels_merged"][0]["name"],
        _("Total"),
        *([_("Level 2 or above")] if share else []),
    ]
    rows = [
        [
            *([r.get("code", "")] if coded else []),
            r.get("name", r["key"]),
            *r["counts"],
            r["basic_plus"],
            r["total"],
            *([_rounded(r["cmmm_2_plus_share"], 3)] if share else []),
        ]
        for r in table["rows"]
    ]
    rows.append(
        [
            *([prefix.ljust(6, "0") if prefix else ""] if coded else []),
            _("Total"),
            *table["column_totals"],
            table["basic_plus"],
            table["total"],
            *([_rounded(data["cmmm_2_plus_share"], 3)] if share else []),
        ]
    )
    return headers, rows
