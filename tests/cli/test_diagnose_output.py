"""How ``medkg diagnose`` renders a differential: escaped Rich markup, the LLM step, TSV rows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from medkg_cli.diagnose_output import TSV_COLUMNS, frequency_text, print_table, tsv_error_row, tsv_rows
from reasoning import case_from_hpo, diagnose, load_index
from reasoning.models import Differential, Evidence


@pytest.fixture(scope="module")
def differential(fixture_kg: Path) -> Differential:
    return diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), load_index(fixture_kg), top_k=2,
                    namespace="OMIM")


def _table(d: Differential) -> str:
    buf = io.StringIO()
    print_table(d, None, Console(file=buf, width=300))
    return buf.getvalue()


def test_untrusted_text_is_not_read_as_markup(differential: Differential) -> None:
    top = differential.candidates[0]
    odd = top.model_copy(update={"label": "[bold]Odd[/bold] [hpo] syndrome"})
    text = _table(differential.model_copy(update={"candidates": [odd]}))
    assert "[bold]Odd[/bold] [hpo] syndrome" in text
    assert "[fixture_hpo]" in text


def test_llm_ranks_and_explanations_are_shown(differential: Differential) -> None:
    a, b = differential.candidates
    reranked = [b.model_copy(update={"rank": 1, "graph_rank": 2, "explanation": "fits [the] lens"}),
                a.model_copy(update={"rank": 2, "graph_rank": 1, "explanation": None})]
    d = differential.model_copy(update={"candidates": reranked, "llm": {
        "model": "scripted", "ranked_by_model": 1, "dropped": {"not_a_candidate": 1}, "graph_order": [a.id, b.id]}})
    text = _table(d)
    assert "LLM (graph rank, unchecked explanation)" in text and "not checked against the case" in text and "graph rank 2" in text and "fits [the] lens" in text
    assert "re-ranked by scripted" in text and "not_a_candidate 1" in text
    assert "LLM" not in _table(differential)  # no LLM step, no column
    rows = [dict(zip(TSV_COLUMNS, r, strict=True)) for r in tsv_rows(d, None, "f.json")]
    assert [(r["rank"], r["graph_rank"], r["explanation"]) for r in rows] == [(1, 2, "fits [the] lens"), (2, 1, None)]


@pytest.mark.parametrize(("llm", "says"), [
    ({"model": "m", "error": "no JSON object or array found"}, "not re-ranked: m gave no valid answer"),
    ({"model": "m", "ranked_by_model": 0, "dropped": {"not_a_candidate": 2}}, "not re-ranked: m placed none"),
])
def test_an_llm_step_that_changed_nothing_does_not_claim_a_reranking(differential: Differential, llm, says) -> None:  # noqa: ANN001
    text = _table(differential.model_copy(update={"llm": llm}))
    assert says in text and "re-ranked by" not in text and "graph rank" not in text


def test_frequency_text() -> None:
    def ev(**kw: object) -> Evidence:
        return Evidence(kind="exact", log10_lr=0.1, **kw)  # type: ignore[arg-type]

    assert frequency_text(ev(frequency=0.895, frequency_label="HP:0040281")) == "Very frequent (80-99%)"
    assert frequency_text(ev(frequency=3 / 7, frequency_label="3/7")) == "3/7"
    assert frequency_text(ev(frequency=0.25)) == "25%"
    assert frequency_text(ev()) == ""


def test_error_row_fills_every_column() -> None:
    row = tsv_error_row("c.json", "boom")
    assert len(row) == len(TSV_COLUMNS) and (row[0], row[-1]) == ("c.json", "boom")


def test_the_tsv_cell_says_a_drug_is_stated_for_a_broader_disease() -> None:
    """``stated_for`` is in every format: JSON has the field, the table the note, the TSV cell this."""
    from medkg_cli.diagnose_output import _treatments_cell
    from reasoning.treatments import DiseaseTreatments, Treatment

    t = Treatment(drug="DRUGBANK:DB00245", label="Benzatropine", relation="palliates", evidence=[],
                  stated_for=["DOID:14330"])
    cell = _treatments_cell(DiseaseTreatments(rank=1, disease="OMIM:607688", label="PD 11", treatments=[t]))
    assert cell == "DRUGBANK:DB00245 Benzatropine (palliates; stated for DOID:14330, not this disease itself)"


def test_drugs_stated_not_indicated_are_shown_in_the_table_and_the_tsv(fixture_kg: Path) -> None:
    """Prednisone is stated NOT indicated for Marfan syndrome (PharmacotherapyDB-style): the JSON
    had it under ``not_indicated``, but the table and the TSV, what a clinician reads, left it out."""
    from reasoning import treat

    ix = load_index(fixture_kg)
    d = diagnose(case_from_hpo(["HP:0001166", "HP:0001083"]), ix, top_k=1, namespace="OMIM")
    plan = treat(d, kg=ix, top_n=1)
    assert [t.drug for t in plan.diseases[0].not_indicated] == ["DRUGBANK:DB00635"]
    buf = io.StringIO()
    print_table(d, plan, Console(file=buf, width=300))
    treatments = buf.getvalue().split("Treatments", 1)[1]
    row = next(line for line in treatments.splitlines() if "DRUGBANK:DB00635" in line)
    assert "not_indicated" in row and "fixture_drugs states Prednisone is not indicated for this disease" in row
    cell = tsv_rows(d, plan)[0][TSV_COLUMNS.index("treatments")]
    assert cell.endswith("; not indicated (fixture_drugs): DRUGBANK:DB00635 Prednisone"), cell
    # a source name that looks like markup is shown as written, in the sources cell and the warning
    # (the warning escaped the already escaped cell: '\\[v2]' was shown)
    odd = plan.diseases[0].not_indicated[0]
    odd = odd.model_copy(update={"evidence": [e.model_copy(update={"source": "db[v2]"}) for e in odd.evidence]})
    plan.diseases[0].not_indicated[0] = odd
    buf = io.StringIO()
    print_table(d, plan, Console(file=buf, width=300))
    row = next(line for line in buf.getvalue().split("Treatments", 1)[1].splitlines() if "DRUGBANK:DB00635" in line)
    assert "db[v2] states Prednisone is not indicated" in row and "\\[" not in row, row


def test_a_current_drug_stated_not_indicated_is_flagged_everywhere(fixture_kg: Path) -> None:
    """A drug the patient takes that a curated source says is not indicated for the candidate
    (prednisone for Marfan syndrome) was shown as not indicated with no word that the patient
    takes it: ``already_taking`` fired for listed treatments only."""
    from reasoning import treat

    ix = load_index(fixture_kg)
    case = case_from_hpo(["HP:0001166", "HP:0001083"], drugs=["DRUGBANK:DB00635"])
    d = diagnose(case, ix, top_k=1, namespace="OMIM")
    plan = treat(d, case, kg=ix, top_n=1)
    prednisone = plan.diseases[0].not_indicated[0]
    assert [(f.kind, f.detail) for f in prednisone.flags] == [
        ("already_taking", "the case already takes Prednisone (DRUGBANK:DB00635)")]
    cell = tsv_rows(d, plan)[0][TSV_COLUMNS.index("treatments")]
    assert cell.endswith("; not indicated (fixture_drugs): DRUGBANK:DB00635 Prednisone (flags: already_taking)"), cell
    buf = io.StringIO()
    print_table(d, plan, Console(file=buf, width=300))
    row = next(line for line in buf.getvalue().split("Treatments", 1)[1].splitlines() if "DRUGBANK:DB00635" in line)
    assert "not indicated for this disease: not a treatment; the case already takes Prednisone (DRUGBANK:DB00635)" in row, row


def test_a_statement_of_the_diseases_other_record_says_whose_it_is(fixture_kg: Path) -> None:
    """Marfan syndrome scored as ORPHA:558: the table's line for the OMIM record's NOT
    annotation names OMIM:154700, the record the graph states it for."""
    from medkg_cli.diagnose_output import evidence_line

    d = diagnose(case_from_hpo(["HP:0001166", "HP:0001249"]), load_index(fixture_kg), top_k=3, namespace="OMIM")
    marfan = next(c for c in d.candidates if c.id == "OMIM:154700")
    item = next(e for e in marfan.evidence if e.case_term == "HP:0001249")
    assert evidence_line(item).startswith(
        "x HP:0001249 Intellectual disability → contradicted HP:0001249 Intellectual disability (stated for OMIM:154700)")
