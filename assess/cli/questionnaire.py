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
from assess.scoring.export import result_document
from assess.scoring.gaps import LATER, NEAR_TERM, GapAnalysis, analyse
from assess.scoring.result import Result
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
        click.echo(f"{q.id} {q.version}: {q.title.zh} / {q.title.en}")
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
    click.echo("OK")


@click.command("score")
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result and roadmap as JSON.")
@with_appcontext
def score_command(answers_file: Path, lang: str, as_json: bool) -> None:
    """Score an answers file: {"questionnaire", "version", "answers": {item: value}}."""
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
    result = score(q, answers)
    analysis = analyse(q, result)
    if as_json:
        click.echo(json.dumps(result_document(q, result, analysis), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(q, result, analysis, lang))


def render_text(q: Questionnaire, result: Result, analysis: GapAnalysis, lang: str) -> str:
    """The result as a plain-text report for the terminal."""
    t = translator(lang)
    _ = t.gettext
    notice = _("Self-assessment / diagnosis result, not an official rating.")
    out = [f"{q.title.get(lang)} ({q.id} {q.version})", notice, ""]
    gradient = explain.gradient_name(q, result.gradient_level, lang)
    out.append(_("Smart-factory level: %(level)s", level=gradient))
    out.append(
        _("Capability maturity: %(level)s", level=explain.cmmm_name(q, result.cmmm.level, lang))
        + f"  S = {result.cmmm.total_score:.2f}"
    )
    threshold = q.cmmm.reach_threshold
    scores = "  ".join(
        f"{level}: {value:.2f}{' ≥' if value >= threshold else ' <'} {threshold}"
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
    out.extend(["", _("Level rules:")])
    for level in result.levels:
        mark = "✓" if level.reached else "✗"
        out.append(f"  {mark} {explain.gradient_name(q, level.id, lang)}")
        for outcome in level.rules:
            out.append(
                f"      {'✓' if outcome.passed else '✗'} {explain.rule_text(q, outcome, lang)}"
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
                "Gaps and roadmap (target: %(gradient)s; maturity %(cmmm)s)",
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
            out.append(f"        → {q.items[item.item_id].next_step.get(lang)}")
        if not items:
            out.append(f"        {_('none')}")
    return "\n".join(out)


def init_app(app: Flask) -> None:
    app.cli.add_command(questionnaire_group)
    app.cli.add_command(score_command)
