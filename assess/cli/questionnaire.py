"""CLI: `questionnaire check` and `score ANSWERS.json` (text or --json)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import QuestionnaireError, load_dir
from assess.questionnaire.versions import installed_directory
from assess.scoring import answers as answer_parsing
from assess.scoring import explain, score
from assess.scoring.carry import new_items
from assess.scoring.export import result_document
from assess.scoring.gaps import LATER, NEAR_TERM, GapAnalysis, analyse
from assess.scoring.result import Benchmark, Result
from assess.scoring.words import score_text
from assess.translation import translator
from assess.web import questionnaires

questionnaire_group = AppGroup("questionnaire", help="Questionnaire definitions.")


@questionnaire_group.command("check")
@with_appcontext
def check_command() -> None:
    """Validate every questionnaire file and print a summary per part."""
    try:
        loaded = load_dir(current_app.config["QUESTIONNAIRE_DIR"] or installed_directory())
    except QuestionnaireError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s)") from error
    for q in loaded.values():
        status = " (draft)" if q.status == "draft" else ""
        click.echo(f"{q.id} {q.version}{status}: {q.title.zh} / {q.title.en}")
        click.echo(f"  profile questions      {len(q.profile.questions)}")
        click.echo(f"  basic requirements     {len(q.gate.questions)}")
        click.echo(
            f"  CMMM                   {len(q.cmmm.elements)} elements, "
            f"{len(q.sub_domains)} sub-domains, {len(q.requirements)} requirements, "
            f"{len(q.cmmm.levels)} levels"
        )
        click.echo(
            f"  typical scenarios      {len(q.scenarios.items)} scenarios, {len(q.steps)} steps"
        )
        click.echo(
            f"  gradient levels        {len(q.gradient.levels)} levels, {len(q.rules)} rules"
        )
        click.echo(f"  answerable items       {len(q.items)}")
        for line in _new_parts(q, loaded):
            click.echo(line)
    click.echo("OK")


def _new_parts(q: Questionnaire, loaded: dict) -> list[str]:
    """The parts a version may have beyond 2025.1's: tailoring, results, profile-dependent
    items and advice, its rules' basis, and the carry-over from an earlier version."""
    lines = []
    if q.tailoring is not None:
        lines.append(
            f"  tailoring              {len(q.tailorable)} tailorable sub-domains"
            f" ({', '.join(q.tailorable)}), at most {q.tailoring.max}"
        )
    if q.results is not None:
        lines.append(f"  results                {len(q.indicators)} indicators")
    conditional = sum(1 for item in q.items.values() if getattr(item, "applies_when", ()))
    advice = sum(len(getattr(item, "advice", ())) for item in q.items.values())
    if conditional or advice:
        lines.append(
            f"  shaped by the profile  {conditional} items asked under a condition,"
            f" {advice} profile-specific next steps"
        )
    own = sum(1 for rule in q.rules.values() if rule.basis == "own")
    if any(rule.basis for rule in q.rules.values()):
        lines.append(
            f"  rules' basis           {own} of {len(q.rules)} rules are this product's choice"
        )
    if q.carried_from is not None:
        old = loaded[(q.id, q.carried_from.version)]
        kept = sum(1 for item_id in old.items if item_id in q.items)
        label = f"carried from {q.carried_from.version}"
        lines.append(
            f"  {label:<23}{kept + len(q.carried_from.renamed)} items"
            f" carried, {len(q.carried_from.dropped)} dropped,"
            f" {len(new_items(old, q))} new"
        )
    return lines


@click.command("score")
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result and roadmap as JSON.")
@click.option(
    "--benchmarks",
    "benchmarks_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Provincial sector benchmarks: {indicator: value or {"value", "year", "source"}}.',
)
@with_appcontext
def score_command(
    answers_file: Path, lang: str, as_json: bool, benchmarks_file: Path | None = None
) -> None:
    """Score an answers file: {"questionnaire", "version", "answers": {item: value}}, with
    optional "benchmarks" (or --benchmarks FILE) for the results rules."""
    try:
        data = json.loads(answers_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{answers_file}: not a JSON file ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise click.ClickException(f'{answers_file}: expected {{"answers": {{item: value}}}}')
    try:
        q = (
            questionnaires.versions().get(data["questionnaire"], str(data["version"]))
            if "questionnaire" in data
            else questionnaires.latest()
        )
    except KeyError as error:
        raise click.ClickException(f"questionnaire {error} is not installed") from error
    answers, errors = answer_parsing.parse(q, data["answers"])
    for error in errors:
        click.echo(f"ignored: {error}", err=True)
    raw_benchmarks = data.get("benchmarks") or {}
    if benchmarks_file is not None:
        raw_benchmarks = _read_json(benchmarks_file)
    result = score(q, answers, _benchmarks(q, raw_benchmarks))
    analysis = analyse(q, result)
    if as_json:
        click.echo(json.dumps(result_document(q, result, analysis), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(q, result, analysis, lang))


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path}: not a JSON file ({error})") from error
    if not isinstance(data, dict):
        raise click.ClickException(f"{path}: expected {{indicator: value}}")
    return data


def _benchmarks(q: Questionnaire, raw: dict) -> dict[str, Benchmark]:
    """Benchmarks from JSON: a number, or {"value", "year", "source"}, per indicator id."""
    benchmarks = {}
    for indicator_id, entry in raw.items():
        if indicator_id not in q.indicators:
            click.echo(f"ignored benchmark: {indicator_id}: not an indicator", err=True)
            continue
        fields = entry if isinstance(entry, dict) else {"value": entry}
        try:
            benchmarks[indicator_id] = Benchmark(
                float(fields["value"]),
                int(fields["year"]) if fields.get("year") is not None else None,
                str(fields.get("source") or ""),
            )
        except (KeyError, TypeError, ValueError):
            click.echo(f"ignored benchmark: {indicator_id}: not a number", err=True)
    return benchmarks


def render_text(q: Questionnaire, result: Result, analysis: GapAnalysis, lang: str) -> str:
    """The result as a plain-text report for the terminal: tailoring first."""
    t = translator(lang)
    _ = t.gettext
    notice = _("Self-assessment / diagnosis result, not an official rating.")
    out = [f"{q.title.get(lang)} ({q.id} {q.version})", notice, ""]
    tailoring = explain.tailoring_lines(q, result, lang)
    if tailoring:
        out.extend(
            [_("Tailoring of capability sub-domains:"), *(f"  {line}" for line in tailoring), ""]
        )
    gradient = explain.gradient_name(q, result.gradient_level, lang)
    out.append(_("Smart-factory level: %(level)s", level=gradient))
    out.append(
        _("Capability maturity: %(level)s", level=explain.cmmm_name(q, result.cmmm.level, lang))
        + f"  S = {score_text(result.cmmm.total_score)}"
    )
    threshold = q.cmmm.reach_threshold
    scores = "  ".join(
        f"{level}: {score_text(value)}{' ≥' if value >= threshold else ' <'} {threshold}"
        for level, value in result.cmmm.level_scores.items()
    )
    levels = _(
        "Level scores (≥ %(threshold)s: the level's score is met; the maturity level is the"
        " band S falls in):",
        threshold=threshold,
    )
    out.append(f"  {levels}")
    out.append(f"    {scores}")
    out.extend(["", *explain.summary(q, result, lang), "", _("Typical scenarios:")])
    for scenario in q.scenarios.items:
        sr = result.scenarios[scenario.id]
        state = explain.gradient_name(q, sr.level, lang) if sr.applicable else _("not applicable")
        out.append(f"  {scenario.number:>2} {scenario.name.get(lang)}: {state}")
    if q.results is not None:
        out.extend(["", _("Results:")])
        out.extend(f"  {explain.indicator_line(q, result, i, lang)}" for i in q.indicators)
    out.extend(["", _("Level rules:")])
    for level in result.levels:
        mark = ("?" if level.pending else "✓") if level.reached else "✗"
        out.append(f"  {mark} {explain.gradient_name(q, level.id, lang)}")
        for outcome in level.rules:
            out.append(
                f"      {RULE_MARKS[outcome.state]} {explain.rule_text(q, outcome, lang)}"
                f" — {explain.rule_detail(q, outcome, lang)}"
            )
    skipped = sum(1 for skip in result.skipped.values() if not skip.not_applicable)
    if skipped:
        out.extend(
            [
                "",
                _(
                    "Not asked because a lower level is not met, and counted as not met: %(n)s.",
                    n=skipped,
                ),
            ]
        )
    target = explain.gradient_name(q, analysis.target_level, lang) if analysis.target_level else "-"
    cmmm = explain.cmmm_name(q, analysis.target_cmmm, lang) if analysis.target_cmmm else "-"
    out.extend(
        [
            "",
            _(
                "Gaps and roadmap (target: %(gradient)s, with capability at %(cmmm)s)",
                gradient=target,
                cmmm=cmmm,
            ),
        ]
    )
    phases = {NEAR_TERM: _("Near-term actions"), LATER: _("Later actions")}
    for phase in (NEAR_TERM, LATER):
        items = analysis.phase(phase)
        out.append(f"  {phases[phase]} ({len(items)}):")
        for i, item in enumerate(items, start=1):
            out.append(f"   {i:>3}. {explain.item_label(q, item.item_id, lang)}")
            out.append(f"        → {explain.gap_next_step(q, item, lang)}")
        if not items:
            out.append(f"        {_('none')}")
    shaping = explain.profile_lines(q, result, lang, [item.item_id for item in analysis.items])
    if shaping:
        out.extend(
            ["", _("Profile answers that shaped the result:"), *(f"  {line}" for line in shaping)]
        )
    return "\n".join(out)


RULE_MARKS = {"passed": "✓", "failed": "✗", "not_assessed": "?"}


def init_app(app: Flask) -> None:
    app.cli.add_command(questionnaire_group)
    app.cli.add_command(score_command)
