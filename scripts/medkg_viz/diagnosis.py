"""The picture of a differential diagnosis: why each candidate ranks where it does.

Three columns, left to right: the case's phenotypes (present, and those the
case excludes), the disease-side phenotypes that a match goes through (a more
general or more specific annotated term, or a typical feature the case lacks),
and the top candidates (rank, name, probability). Every arrow is one evidence
item of :func:`reasoning.diagnose`, coloured by its kind, labelled with its
kind and log10 likelihood ratio, and its tooltip gives the source, version,
frequency and the graph path.

Example:
    >>> from reasoning import case_from_hpo, diagnose
    >>> d = diagnose(case_from_hpo(["HP:0001166"]), kg=FIXTURE_KG, top_k=2)
    >>> g = diagnosis_subgraph(d)
    >>> g.nodes["HP:0001166"].type, g.nodes[d.candidates[0].id].label.startswith("#1 Marfan syndrome (p=0.")
    ('Case phenotype', True)
    >>> e = g.edges[0]
    >>> e.kind, e.label.startswith("exact +"), e.statements[0].source
    ('exact', True, 'fixture_hpo')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from medkg_viz.model import ROLE_COLOURS, Statement, Subgraph, VizNode

if TYPE_CHECKING:
    from reasoning.models import Candidate, Differential, Evidence

CASE, EXCLUDED = "Case phenotype", "Excluded by case"
KIND_TEXT = {
    "exact": "exact: the disease has this feature",
    "ancestor": "ancestor: the disease has a more general feature",
    "descendant": "descendant: the disease has a more specific feature",
    "related": "related: only a common ancestor ties them",
    "contradicted": "contradicted: the disease is annotated NOT to have it",
    "excluded": "excluded: the case rules out a feature the disease has",
    "excluded_consistent": "consistent: the case and the disease both rule it out",
    "missing": "missing: a typical feature the case does not report",
}
"""Legend text of each evidence kind drawn (``unexplained`` has no arrow)."""


def _statement(e: Evidence) -> Statement:
    return Statement(
        source=e.source or "?",
        version=e.source_version,
        frequency=e.frequency,
        frequency_label=e.frequency_label,
        evidence=e.reference,
        negated=e.kind == "contradicted",
    )


def _detail(e: Evidence) -> tuple[str, ...]:
    lines = [f"{e.kind}: log10 LR {e.log10_lr:+.3f}"]
    if e.via:
        lines.append(f"common ancestor: {e.via}")
    if e.path:
        lines.append("path: " + " → ".join(e.path))
    return tuple(lines)


def _candidate_node(c: Candidate, first: bool) -> VizNode:
    unexplained = [f"{e.case_term} {e.case_label or ''}".strip() for e in c.evidence if e.kind == "unexplained"]
    parts = (f" (log10 LR {c.log10_lr:+.3f}, similarity {c.similarity:.3f}"
             + (f", GraphIC {c.graph_ic:.3f}" if c.graph_ic is not None else "") + ")"
             if c.log10_lr is not None and c.similarity is not None else "")
    detail = [f"rank {c.rank}; probability {c.probability:.3f}; score {c.score:+.3f}{parts}"]
    others = [i for i in c.ids if i != c.id]
    if others:
        detail.append("same disease: " + ", ".join(others))
    detail.extend(f"identity: {x.subject} = {x.object} ({x.source})" for x in c.identity)
    if unexplained:
        detail.append("not explained: " + ", ".join(unexplained))
    return VizNode(
        c.id, "Disease", f"#{c.rank} {c.label} (p={c.probability:.2f})",
        detail=tuple(detail), emphasis=first, group="candidate", level=2,
    )


WEAK_KINDS = ("related", "missing")
"""Kinds drawn thin and unlabelled (their tooltips still say everything)."""


def _add_evidence(sub: Subgraph, cand: str, e: Evidence) -> None:
    text = "" if e.kind in WEAK_KINDS else f"{e.kind.replace('_', ' ')} {e.log10_lr:+.2f}"
    if e.kind == "missing":
        if not e.disease_term:
            return
        sub.add_node(VizNode(e.disease_term, "PhenotypicFeature", e.disease_term_label,
                             group="typical of a candidate", level=1))
        src = e.disease_term
    elif e.case_term is None or (e.kind == "excluded_consistent" and not e.disease_term):
        return  # an excluded term the disease has no statement about: nothing to draw between them
    elif e.kind in ("ancestor", "descendant") and e.disease_term and e.disease_term != e.case_term:
        sub.add_node(VizNode(e.disease_term, "PhenotypicFeature", e.disease_term_label,
                             group="annotated on a candidate", level=1))
        step = sub.edge(e.case_term, f"{e.kind}_of", e.disease_term, kind=e.kind,
                        text="more general" if e.kind == "ancestor" else "more specific")
        step.detail = (f"{e.disease_term} is {'an ancestor' if e.kind == 'ancestor' else 'a descendant'} "
                       f"of {e.case_term} in HPO",)
        src = e.disease_term
    else:
        src = e.case_term
    edge = sub.edge(src, e.kind, cand, kind=e.kind, text=text,
                    width=1.0 if e.kind in WEAK_KINDS else (2.0 if e.frequency is None else None))
    edge.statements.append(_statement(e))
    edge.detail = edge.detail + _detail(e)


def diagnosis_subgraph(
    d: Differential, labels: Mapping[str, str | None] | None = None, max_missing: int = 3
) -> Subgraph:
    """The subgraph that explains a differential (see the module doc).

    Args:
        d: the differential.
        labels: names of case terms the evidence does not name (e.g. an
            excluded term no candidate has), by CURIE.
        max_missing: the most "typical but absent" features drawn per candidate
            (the most frequent first); the notes count the rest.

    Raises:
        NothingToDrawError: the differential has no candidate.
    """
    from medkg_viz.errors import NothingToDrawError

    if not d.candidates:
        raise NothingToDrawError("the diagnosis returned no candidate; nothing to draw")
    case = d.case
    top = len(d.candidates)
    sub = Subgraph(
        title=f"Differential for {case.id or 'the case'}: top {top} of {d.ranked:,} diseases ranked"
    )
    names: dict[str, str | None] = dict(labels or {})
    for c in d.candidates:
        for e in c.evidence:
            if e.case_term and e.case_label:
                names[e.case_term] = e.case_label
    for t in case.present:
        sub.add_node(VizNode(t, CASE, names.get(t), group="present in the case", level=0))
    for t in case.excluded:
        sub.add_node(VizNode(t, EXCLUDED, names.get(t), group="excluded by the case", level=0))
    hidden = 0
    for i, c in enumerate(d.candidates):
        sub.add_node(_candidate_node(c, i == 0))
        missing = sorted((e for e in c.evidence if e.kind == "missing"), key=lambda e: -(e.frequency or 0.0))
        hidden += max(len(missing) - max_missing, 0)
        drawn = {id(e) for e in missing[:max_missing]}
        for e in c.evidence:
            if e.kind != "missing" or id(e) in drawn:
                _add_evidence(sub, c.id, e)
    kinds = {e.kind for e in sub.edges}
    sub.legend = [(ROLE_COLOURS[k], KIND_TEXT[k]) for k in KIND_TEXT if k in kinds]
    sub.notes.extend(f"warning: {w}" for w in d.warnings)
    if hidden:
        sub.notes.append(
            f"{hidden} more typical-but-absent features of the candidates are not drawn "
            f"(at most {max_missing} per candidate; see 'medkg diagnose' for all)"
        )
    for c in d.candidates:
        unexplained = [e.case_term for e in c.evidence if e.kind == "unexplained" and e.case_term]
        if unexplained:
            sub.notes.append(f"#{c.rank} {c.label} does not explain {', '.join(unexplained)}")
    return sub
