"""How ``medkg diagnose`` shows a differential: a Rich table, one JSON document, or TSV rows.

Every text from the graph or the case (labels, sources, notes, explanations) is
escaped before it goes into Rich markup, so ``[hpo]`` stays visible.

Example:
    >>> from reasoning.models import Evidence
    >>> e = Evidence(kind="exact", case_term="HP:0001166", case_label="Arachnodactyly",
    ...              disease_term="HP:0001166", disease_term_label="Arachnodactyly", frequency=0.895,
    ...              frequency_label="HP:0040281", source="hpo", log10_lr=0.52)
    >>> evidence_line(e)
    '+ HP:0001166 Arachnodactyly → exact HP:0001166 Arachnodactyly Very frequent (80-99%) [hpo] (+0.52)'
    >>> evidence_summary([e])
    'exact HP:0001166 +0.52'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.sources.hpo import FREQUENCY_LABELS
from reasoning.models import Candidate, Differential, Evidence
from reasoning.treatments import TEXT_MINED, UNREVIEWED, DiseaseTreatments, Treatment, TreatmentPlan

TSV_COLUMNS = ("file", "case", "rank", "id", "ids", "label", "score", "probability", "evidence",
               "graph_rank", "explanation", "treatments", "known_condition", "error")
"""One TSV row per candidate. ``file``: the phenopacket (folder mode: relative to the folder);
``ids``: every id of the candidate, comma-separated; ``evidence``: each item's kind, term and
log10 LR, strongest first; ``graph_rank`` and ``explanation``: after an LLM step; ``treatments``:
with --treatments, the candidate's drugs (relation, ``also text-mined`` and flags), after the
note saying there is no curated treatment where that is so, then the drugs a curated source
states are not indicated for it (``not indicated (SOURCE): ...``); ``known_condition``: ``true`` when
the case lists the candidate as a known condition (added last, before ``error``); ``error``: a case that failed
(folder mode; its other columns are empty)."""


def frequency_text(e: Evidence) -> str:
    """The annotation's frequency as a person reads it: an HPO category's name, the source's
    own text (``3/7``, ``45%``), or the number as a percentage; empty when there is none."""
    if e.frequency_label:
        return FREQUENCY_LABELS.get(e.frequency_label, e.frequency_label)
    return f"{e.frequency:.0%}" if e.frequency is not None else ""


def _mark(e: Evidence) -> str:
    """``+`` for an item that speaks for the disease, ``x`` against it, ``·`` neither (by its
    likelihood ratio: an exact match with a feature seen in 0 of 44 patients speaks against)."""
    return "+" if e.log10_lr > 0 else "x" if e.log10_lr < 0 else "·"


def evidence_line(e: Evidence) -> str:
    """One evidence item as plain text (not markup), with its log10 likelihood ratio."""
    freq = f" {frequency_text(e)}".rstrip()
    lr = f" ({e.log10_lr:+.2f})"
    if e.kind == "missing":
        return f"- lacks {e.disease_term} {e.disease_term_label}{freq}{lr}"
    what = f"{e.case_term} {e.case_label}"
    if e.kind == "unexplained":
        return f"? {what}: not a feature of this disease{lr}"
    target = f"{e.disease_term} {e.disease_term_label}" if e.disease_term else "(no statement)"
    if len(e.path) >= 4 and e.path[-2] == "same_disease_as":  # a statement of the disease's other record
        target += f" (stated for {e.path[-3]})"
    via = f" via {e.via}" if e.via else ""
    src = f" [{e.source}{', text-mined' if e.text_mined else ''}]" if e.source else ""
    return f"{_mark(e)} {what} → {e.kind} {target}{via}{freq}{src}{lr}"


def _strongest(evidence: Sequence[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: -abs(e.log10_lr))


def evidence_summary(evidence: Sequence[Evidence]) -> str:
    """Every evidence item as ``kind term log10LR``, strongest first, ``; ``-separated."""
    return "; ".join(f"{e.kind} {e.case_term or e.disease_term} {e.log10_lr:+.2f}" for e in _strongest(evidence))


def all_warnings(d: Differential, plan: TreatmentPlan | None) -> list[str]:
    """The differential's warnings, then the treatment plan's that it does not already have."""
    return d.warnings + [w for w in (plan.warnings if plan is not None else []) if w not in d.warnings]


def payload(d: Differential, plan: TreatmentPlan | None) -> dict[str, Any]:
    """The differential (and its treatments) as one JSON-ready object."""
    data = d.model_dump(mode="json")
    data["treatments"] = plan.model_dump(mode="json")["diseases"] if plan is not None else []
    data["warnings"] = all_warnings(d, plan)
    return data


def _treatment_text(tr: Treatment) -> str:
    """One drug of the TSV cell: id, label, relation, whether text repeats a curated one, the broader
    diseases it is stated for instead of this one, flags."""
    parts = [tr.relation]
    if tr.text_evidence and tr.relation != "text_mined":
        parts.append("also text-mined")
    if tr.stated_for:
        parts.append(f"stated for {', '.join(tr.stated_for)}, not this disease itself")
    if tr.flags:
        parts.append(f"flags: {', '.join(f.kind for f in tr.flags)}")
    return f"{tr.drug} {tr.label} ({'; '.join(parts)})"


def not_indicated_text(dt: DiseaseTreatments) -> str:
    """The drugs a curated source states are not indicated for the candidate (and that are not
    listed as its treatments), with those sources; empty when there are none.

    Example:
        >>> from reasoning.treatments import DrugEvidence
        >>> ev = DrugEvidence(predicate="not_indicated_for", disease="DOID:1", source="pharmacotherapydb",
        ...                   source_version=None, reference=None, path=[])
        >>> t = Treatment(drug="DB:2", label="Prednisone", relation="not_indicated", evidence=[ev])
        >>> not_indicated_text(DiseaseTreatments(rank=1, disease="D", label="D", treatments=[], not_indicated=[t]))
        'not indicated (pharmacotherapydb): DB:2 Prednisone'
    """
    if not dt.not_indicated:
        return ""
    sources = ", ".join(sorted({e.source or "?" for t in dt.not_indicated for e in t.evidence}))
    return f"not indicated ({sources}): " + ", ".join(
        f"{t.drug} {t.label}" + (f" (flags: {', '.join(f.kind for f in t.flags)})" if t.flags else "")
        for t in dt.not_indicated)


def _treatments_cell(dt: DiseaseTreatments | None) -> str:
    """The TSV cell of one candidate's drugs, after the note on what the list lacks, then the drugs
    stated not to be indicated for it.

    Example:
        >>> t = Treatment(drug="DB:1", label="Losartan", relation="text_mined", evidence=[])
        >>> _treatments_cell(DiseaseTreatments(rank=1, disease="D", label="D", treatments=[t],
        ...                                    note="no curated treatment; 1 text-mined candidate listed"))
        'no curated treatment; 1 text-mined candidate listed: DB:1 Losartan (text_mined)'
    """
    if dt is None:
        return ""
    drugs = "; ".join(_treatment_text(tr) for tr in dt.treatments)
    cell = drugs if dt.note is None else f"{dt.note}: {drugs}" if drugs else dt.note
    return "; ".join(x for x in (cell, not_indicated_text(dt)) if x)


def tsv_rows(d: Differential, plan: TreatmentPlan | None, file: str = "") -> list[tuple[Any, ...]]:
    """The candidates as rows of :data:`TSV_COLUMNS`."""
    by_rank = {dt.rank: dt for dt in plan.diseases} if plan is not None else {}
    return [(file, d.case.id or "", c.rank, c.id, ",".join(c.ids), c.label, c.score, c.probability,
             evidence_summary(c.evidence), c.graph_rank, c.explanation, _treatments_cell(by_rank.get(c.rank)),
             str(c.known_condition).lower(), "")
            for c in d.candidates]


def tsv_error_row(file: str, error: str) -> tuple[str, ...]:
    """The row of a case that failed (folder mode)."""
    return (file, *[""] * (len(TSV_COLUMNS) - 2), error)


def _name_cell(c: Candidate) -> str:
    ids = ", ".join(i for i in c.ids if i != c.id)
    name = f"{escape(c.id)}\n{escape(c.label)}" + (f"\n[dim]= {escape(ids)}[/dim]" if ids else "")
    if c.scored_as and c.scored_as != c.id:
        name += f"\n[dim]evidence from {escape(c.scored_as)}[/dim]"
    if c.known_condition:
        name += "\n[bold]a known condition of the case[/bold]"
    return name


def _llm_caption(llm: dict[str, Any]) -> str:
    if "error" in llm:
        return escape(f"not re-ranked: {llm.get('model')} gave no valid answer; the graph's order")
    if not llm.get("ranked_by_model"):
        return escape(f"not re-ranked: {llm.get('model')} placed none of the candidates; the graph's order")
    dropped = ", ".join(f"{k} {v}" for k, v in (llm.get("dropped") or {}).items() if v)
    return escape(f"re-ranked by {llm.get('model')}; scores and probabilities are the graph's; explanations are "
                  "the model's words, not checked against the case or the graph"
                  + (f"; left out of the model's answer: {dropped}" if dropped else ""))


def _llm_cell(c: Candidate) -> str:
    return f"graph rank {c.graph_rank}" + (f"\n{escape(c.explanation)}" if c.explanation else "")


def print_table(d: Differential, plan: TreatmentPlan | None, out: Console) -> None:
    """The differential (and treatments) as Rich tables; the LLM step's ranks and explanations when one ran."""
    scope = escape(f"Ranked: {d.scope}.") if d.scope else ""
    caption = "\n".join(c for c in (scope, _llm_caption(d.llm) if d.llm else "") if c)
    t = Table(title=escape(f"Differential for {d.case.id or 'case'} ({d.ranked:,} diseases ranked)"),
              caption=caption or None, show_lines=True)
    columns = ["rank", "disease", "probability", "score\n(log10 LR, similarities)", "evidence (strongest first)"]
    reranked = bool(d.llm and d.llm.get("ranked_by_model"))
    for col in columns + (["LLM (graph rank, unchecked explanation)"] if reranked else []):
        t.add_column(col, overflow="fold")
    for c in d.candidates:
        parts = (f"\n[dim]LR {c.log10_lr:+.2f}; Resnik {c.similarity:.2f} nats; GraphIC {c.graph_ic:.3f}[/dim]"
                 if c.log10_lr is not None and c.similarity is not None and c.graph_ic is not None else "")
        cells = [str(c.rank), _name_cell(c), f"{c.probability:.3f}", f"{c.score:.2f}{parts}",
                 "\n".join(escape(evidence_line(e)) for e in _strongest(c.evidence)[:5])]
        t.add_row(*cells, *([_llm_cell(c)] if reranked else []))
    out.print(t)
    if plan is not None:
        _print_treatments(plan, out)


def _relation_cell(tr: Treatment) -> str:
    """The relation, what it is when no curator classed the drug, and where it rests."""
    what = {"indicated": UNREVIEWED, "text_mined": f"{TEXT_MINED}: read from text, not curated"}.get(tr.relation)
    cell = tr.relation + (f"\n[dim]({what})[/dim]" if what else "")
    if tr.text_evidence and tr.relation != "text_mined":
        cell += "\n[dim](also read in text)[/dim]"
    if tr.stated_for:
        cell += f"\n[dim](stated for {escape(', '.join(tr.stated_for))}, a cross-referenced disease)[/dim]"
    return cell


def _sources_text(tr: Treatment) -> str:
    """The curated sources, then each text-mined one with the documents it was read in."""
    curated = sorted({e.source or "" for e in tr.evidence})
    docs: dict[str, list[str]] = {}
    for e in tr.text_evidence:
        have = docs.setdefault(e.source, [])
        if e.doc_id and e.doc_id not in have:
            have.append(e.doc_id)
    text = [f"{src} (text-mined{': ' + ', '.join(d[:3]) + (' …' if len(d) > 3 else '') if d else ''})"
            for src, d in docs.items()]
    return ", ".join(curated + text)


def _sources_cell(tr: Treatment) -> str:
    """:func:`_sources_text` for the table (rich markup escaped)."""
    return escape(_sources_text(tr))


def _print_treatments(plan: TreatmentPlan, out: Console) -> None:
    tt = Table(title="Treatments (curated first, then unreviewed label indications, then text-mined "
                     "candidates; flags are warnings)", show_lines=True)
    for col in ("rank", "disease", "drug", "relation", "source", "flags"):
        tt.add_column(col, overflow="fold")
    for dt in plan.diseases:
        disease = escape(f"{dt.disease} {dt.label}")
        if not dt.treatments:
            tt.add_row(str(dt.rank), disease, "—", "", "", escape(dt.note or ""))
        else:
            if dt.note:
                disease += f"\n[bold]{escape(dt.note)}[/bold]"
            for tr in dt.treatments:
                tt.add_row(str(dt.rank), disease, escape(f"{tr.drug} {tr.label}"), _relation_cell(tr),
                           _sources_cell(tr), escape("; ".join(f.detail for f in tr.flags)))
        for tr in dt.not_indicated:  # stated not to be indicated, and listed nowhere else: a warning
            tt.add_row(str(dt.rank), disease, escape(f"{tr.drug} {tr.label}"), _relation_cell(tr), _sources_cell(tr),
                       escape("; ".join([f"{_sources_text(tr)} states {tr.label} is not indicated for this "
                                         "disease: not a treatment", *(f.detail for f in tr.flags)])))
    out.print(tt)
