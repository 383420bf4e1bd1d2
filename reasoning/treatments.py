"""``treat``: drugs for the top diagnoses, with their evidence and warnings.

A drug is listed for a candidate when the graph states that it treats
(disease-modifying) or palliates (symptomatic) the candidate, or a disease the
candidate is cross-referenced to (the path names the cross-reference and its
source). A drug whose label lists the disease but that no curator classed
(``INDICATED_FOR``) is listed after those, as relation ``indicated`` with a note
saying so: it is evidence of use, not of a disease-modifying or symptomatic
effect. A drug known only from statements read from text (a text-mined source,
merged by ``medkg extract --into``; see :mod:`reasoning.text_mined`) comes last, as
relation ``text_mined``, with the documents, sentences and spans in
``text_evidence``: no curator classed it. A curated drug that text repeats keeps its
curated relation and shows the text too (``text_evidence``). Flags mark drugs that a
source says are not indicated, whose adverse effects overlap the case's features, that
the case is allergic to, that the case already takes (or took: a stopped phenopacket
treatment, ``Case.drugs_stopped``), or that the patient had an adverse event on
(``Case.drug_reactions``: a phenopacket treatment's ``adverseEvents``). Where the graph classes
drugs (DrugCentral's classes, :mod:`reasoning.drug_classes`), flags also mark a drug that shares an
FDA Established Pharmacologic Class or Chemical/Ingredient class with an allergen
(``allergy_class``: a penicillin allergy and amoxicillin) or with a drug the case takes
(``already_taking_class``: a second corticosteroid), and a drug of a class the patient had a
reaction to (``adverse_event_in_case_class``: ``steroid-induced hyperglycaemia`` in a note, by
the class the text names). Where no curated treatment is known, the answer says so, and what it
lists instead.

Example:
    >>> from reasoning import case_from_hpo, diagnose, treat
    >>> case = case_from_hpo(["HP:0001166", "HP:0002321"], allergies=["DRUGBANK:DB00335"])
    >>> plan = treat(diagnose(case, kg=FIXTURE_KG, namespace="OMIM", top_k=3), case)
    >>> marfan = plan.diseases[0]
    >>> [(t.drug, t.relation, [f.kind for f in t.flags]) for t in marfan.treatments]
    [('DRUGBANK:DB00678', 'treats', ['adverse_effect_overlap']), ('DRUGBANK:DB00335', 'palliates', ['allergy']), ('DRUGBANK:DB00571', 'indicated', ['allergy_class'])]
    >>> print(marfan.treatments[2].flags[0].detail)
    the case is allergic to Atenolol (DRUGBANK:DB00335); Propranolol shares its FDA Established Pharmacologic Class beta-Adrenergic Blocker (NDFRT:N0000175556)
    >>> marfan.treatments[0].evidence[0].path
    ['DRUGBANK:DB00678', 'treats', 'DOID:14323', 'same_disease_as', 'OMIM:154700']
    >>> marfan.treatments[2].note.split(":")[0], marfan.treatments[2].evidence[0].path[:3]
    ('unreviewed label indication', ['DRUGBANK:DB00571', 'indicated_for', 'DOID:14323'])
    >>> plan.diseases[1].note
    'no curated treatment for this disease in the graph'
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path
from weakref import WeakKeyDictionary
from typing import Any, Literal

from pydantic import BaseModel, Field

from kg.curie import prefix_of
from kg.errors import ConfigError
from reasoning.cases import Case, DrugReaction
from reasoning.diagnose import check_count, load_index
from reasoning.drug_classes import shared_narrow
from reasoning.index import DiagnosisIndex
from reasoning.models import Differential
from reasoning.resolve import resolve_medication
from reasoning.text_mined import TextEvidence

Relation = Literal["treats", "palliates", "indicated", "text_mined", "not_indicated"]
FlagKind = Literal["not_indicated", "adverse_effect_overlap", "allergy", "already_taking", "adverse_event_in_case",
                   "allergy_class", "already_taking_class", "adverse_event_in_case_class"]

RELATIONS: dict[str, Relation] = {
    "treats": "treats",
    "palliates": "palliates",
    "indicated_for": "indicated",
    "not_indicated_for": "not_indicated",
}
"""Graph predicate (lower case) -> relation of a curated source's statement: curated
disease-modifying, curated symptomatic, an unreviewed label indication; a curated
non-indication is never listed as a treatment (it flags the drug, or is shown apart). A
text-mined source's indication of any kind is relation ``text_mined``."""
LISTED: tuple[Relation, ...] = ("treats", "palliates", "indicated", "text_mined")
"""The relations of listed drugs, in the order they are listed."""
CURATED: tuple[Relation, ...] = ("treats", "palliates")
"""The relations a curator gave (what "no curated treatment" looks for)."""
UNREVIEWED = "unreviewed label indication"
"""What an ``indicated`` treatment is, in short (the table's words)."""
UNREVIEWED_NOTE = (f"{UNREVIEWED}: a drug label lists this disease; no curator classed the drug "
                   "disease-modifying or symptomatic for it")
"""The note on every ``indicated`` treatment."""
TEXT_MINED = "text-mined candidate"
"""What a ``text_mined`` treatment is, in short (the table's words)."""
TEXT_MINED_NOTE = (f"{TEXT_MINED}: read from documents by medkg extract (see text_evidence), "
                   "not stated by a curated source; no curator classed the drug for this disease")
"""The note on every ``text_mined`` treatment."""
NO_CURATED = "no curated treatment for this disease in the graph"
NO_ADVERSE_DATA = ("the graph has no adverse-effect statements: "
                   "the drugs' adverse effects were not checked against the case")
"""The plan's warning when the graph cannot check adverse effects (the same for every case)."""
BY_IDENTITY_ONLY = ("the case's allergies and drugs are matched to the listed drugs by identity only (the "
                    "graph has no drug classes): a drug of an allergen's or a current drug's class (another "
                    "penicillin, another NSAID) is not flagged")
"""The plan's warning when the case has allergies or drugs and drugs are listed, and the graph has
no class memberships (the same for every such case): ``allergy`` and ``already_taking`` name the
same drug only."""
BY_NARROW_CLASS = ("the case's allergies and drugs are matched to the listed drugs by identity and by a shared "
                   "FDA Established Pharmacologic Class or FDA Chemical/Ingredient class (DrugCentral): a drug "
                   "sharing only a broader class (a MeSH pharmacological action, a ChEBI application, an FDA "
                   "mechanism of action or physiologic effect) is not flagged, nor one that DrugCentral does not class")
"""The plan's warning when the case has allergies or drugs and drugs are listed, and the graph has
class memberships: ``allergy_class`` and ``already_taking_class`` compare the narrow classes only
(:data:`reasoning.drug_classes.CLASH_KINDS`)."""


class DrugEvidence(BaseModel):
    """One statement of a curated source (or a drug label) behind a listed drug; text merged
    into it is cut from ``reference`` and given as the treatment's ``text_evidence``."""

    predicate: str
    disease: str
    source: str | None
    source_version: str | None
    reference: str | None
    path: list[str]


class Flag(BaseModel):
    """A warning on a listed drug, with the statement it rests on."""

    kind: FlagKind
    detail: str
    source: str | None = None


class Treatment(BaseModel):
    """A drug for one candidate disease."""

    drug: str
    label: str
    relation: Relation
    evidence: list[DrugEvidence]
    """The curated (and label) statements; none for a ``text_mined`` drug."""
    flags: list[Flag] = Field(default_factory=list)
    note: str | None = None
    stated_for: list[str] = Field(default_factory=list)
    """When the drug is stated only for diseases the candidate is cross-referenced to (not its
    own ids, e.g. a broader Disease Ontology disease): those diseases."""
    text_evidence: list[TextEvidence] = Field(default_factory=list)
    """Statements read from text (document, sentence, spans): all there is for a
    ``text_mined`` drug; on a curated one, text that repeats or adds to its statements."""


class DiseaseTreatments(BaseModel):
    """The drugs the graph knows for one candidate."""

    rank: int
    disease: str
    label: str
    treatments: list[Treatment]
    not_indicated: list[Treatment] = Field(default_factory=list)
    """Drugs a curated source states are not indicated for it (and not listed as treatments); flagged
    ``already_taking`` when the case takes one."""
    note: str | None = None


class TreatmentPlan(BaseModel):
    """Treatments for the top candidates of a differential."""

    diseases: list[DiseaseTreatments]
    warnings: list[str] = Field(default_factory=list)


def _linked(ix: DiagnosisIndex, shown: str, ids: list[str]) -> dict[str, list[str]]:
    """The candidate's ids (its identity group) and every id one cross-reference away from
    them, each with the rest of the path to the shown id."""
    out: dict[str, list[str]] = {i: [] if i == shown else ["same_disease_as", shown] for i in ids}
    for i in ids:
        for other, relation in ix.xref_neighbours.get(i, ()):
            if other not in out:
                out[other] = [relation, i, *out[i]]
    return out


DISEASE_MATCHES = ("exact", "descendant", "ancestor")
"""Evidence kinds by which a candidate is annotated with a case feature (or a term above or below it)."""


def _adverse_overlaps(ix: DiagnosisIndex, drug: str, case: Case, own: dict[str, str]) -> list[Flag]:
    """A flag for each adverse effect of ``drug`` that is, or is above or below, a present
    feature of the case; it says when the candidate is annotated with that feature (``own``: case
    term → the candidate's annotated term), so that the disease, not a drug, may explain it."""
    flags = []
    o = ix.ontology
    for pheno, freq, src, _ver in ix.adverse_by_drug.get(drug, ()):
        for t in case.present:
            related = pheno == t or (
                pheno in o.index and t in o.index and (o.is_ancestor(pheno, t) or o.is_ancestor(t, pheno))
            )
            if related:
                label = o.label(pheno, pheno)
                how = f" (frequency {freq:g})" if freq is not None else ""
                also = (f"; {t} is also a feature of this disease (annotated {own[t]}), which may explain it"
                        if t in own else "")
                flags.append(Flag(kind="adverse_effect_overlap", source=src,
                                  detail=f"known adverse effect {pheno} {label}{how} overlaps the case's {t}{also}"))
                break
    return flags


def _adverse_checkable(ix: DiagnosisIndex, drug: str) -> bool:
    """Whether the graph states an adverse effect of ``drug`` that is a term of the phenotype
    ontology, so that it can be compared with the case's features (a MedDRA/UMLS effect cannot)."""
    return any(pheno in ix.ontology.index for pheno, *_ in ix.adverse_by_drug.get(drug, ()))


def graph_adverse_warning(ix: DiagnosisIndex) -> str | None:
    """The warning about the graph itself when no drug's adverse effects can be checked (the
    same for every case; ``None`` when some can): it has no adverse-effect statements, or they
    name their drugs or their effects in vocabularies that its drug-disease statements and
    phenotypes do not use (SIDER's drugs are PubChem compounds and its effects MedDRA terms,
    never the DrugBank drugs of PharmacotherapyDB and DrugCentral nor HPO terms).

    Example:
        >>> graph_adverse_warning(load_index(FIXTURE_KG)) is None  # Losartan's Vertigo is an HPO term
        True
    """
    if ix not in _GRAPH_ADVERSE:
        _GRAPH_ADVERSE[ix] = _graph_adverse_warning(ix)
    return _GRAPH_ADVERSE[ix]


_GRAPH_ADVERSE: WeakKeyDictionary[DiagnosisIndex, str | None] = WeakKeyDictionary()
""":func:`graph_adverse_warning` of each index (a property of the graph: reading SIDER's 145,321
statements takes 0.1 s, once per index, not per case)."""


def _graph_adverse_warning(ix: DiagnosisIndex) -> str | None:
    if not ix.adverse_by_drug:
        return NO_ADVERSE_DATA
    if any(_adverse_checkable(ix, row[0]) for row in ix.drug_rows):
        return None
    why = []
    theirs = sorted({prefix_of(d) for d in ix.adverse_by_drug})
    if not {prefix_of(row[0]) for row in ix.drug_rows} & set(theirs):
        why.append(f"name their drugs by {'/'.join(theirs)} ids, which no drug-disease statement uses")
    if not any(_adverse_checkable(ix, d) for d in ix.adverse_by_drug):
        effects = sorted({prefix_of(p) for rows in ix.adverse_by_drug.values() for p, *_ in rows})
        why.append(f"name their effects by {'/'.join(effects)} ids, not terms of the graph's phenotype ontology")
    return ("the graph's adverse-effect statements " + (", and ".join(why) or "name none of its treatments' drugs")
            + ": the drugs' adverse effects were not checked against the case")


def graph_warnings(ix: DiagnosisIndex) -> set[str]:
    """The plan warnings that are about the graph, not the case: the same for every case that
    has them (said once per run over a folder of cases)."""
    return {w for w in (graph_adverse_warning(ix), _matching_warning(ix)) if w}


def _matching_warning(ix: DiagnosisIndex) -> str:
    """How the case's allergies and drugs are matched to the listed drugs on this graph."""
    return BY_NARROW_CLASS if ix.drug_classes else BY_IDENTITY_ONLY


def _unclassed(ix: DiagnosisIndex, case: Case) -> str | None:
    """The plan's warning naming the case's allergens and drugs that the graph puts in no narrow
    class (matched by identity only), or ``None``; none on a graph without classes (its warning
    says so for every drug)."""
    if not ix.drug_classes:
        return None
    refs = dict.fromkeys([*case.allergies, *case.drugs])
    bare = [d for d in refs if not any(c.narrow for c in ix.drug_classes.get(d, ()))]
    if not bare:
        return None
    names = ", ".join(f"{ix.drug_labels.get(d, d)} ({d})" for d in bare)
    return (f"{names}: in no FDA Established Pharmacologic Class or Chemical/Ingredient class of the graph, "
            "so matched to the listed drugs by identity only")


def _adverse_gap(ix: DiagnosisIndex, listed: list[Treatment]) -> str | None:
    """The plan's warning on the listed drugs whose adverse effects could not be checked:
    :func:`graph_adverse_warning` when none can be, else the listed drugs the graph states no
    adverse effect (on a phenotype term) of; ``None`` when every listed drug was checked.

    Example:
        >>> ix = load_index(FIXTURE_KG)
        >>> t = [Treatment(drug=d, label=ix.drug_labels[d], relation="treats", evidence=[])
        ...      for d in ("DRUGBANK:DB00678", "DRUGBANK:DB00335")]
        >>> _adverse_gap(ix, t[:1]) is None
        True
        >>> _adverse_gap(ix, t)
        '1 of 2 listed drugs has no adverse-effect statement on a phenotype term in the graph (Atenolol): its adverse effects were not checked against the case'
    """
    if not listed:
        return None
    if graph := graph_adverse_warning(ix):
        return graph
    drugs = {t.drug: t.label for t in listed}
    unchecked = sorted(label for drug, label in drugs.items() if not _adverse_checkable(ix, drug))
    if not unchecked:
        return None
    n = len(unchecked)
    names = ", ".join(unchecked[:3]) + (", …" if n > 3 else "")
    return (f"{n} of {len(drugs)} listed drugs {'has' if n == 1 else 'have'} no adverse-effect statement on a "
            f"phenotype term in the graph ({names}): {'its' if n == 1 else 'their'} adverse effects were not "
            "checked against the case")


def _named(ix: DiagnosisIndex, drug: str) -> str:
    """A drug for a flag: its label and id."""
    label = ix.drug_labels.get(drug)
    return f"{label} ({drug})" if label and label != drug else drug


def _uses(ix: DiagnosisIndex, drug: str, case: Case) -> str:
    """How the case uses one of its drugs, for a flag: it takes it, or took it (a stopped treatment)."""
    named = _named(ix, drug)
    return f"the case took {named} (stopped)" if drug in case.drugs_stopped else f"the case already takes {named}"


def _taking(ix: DiagnosisIndex, drug: str, case: Case) -> list[Flag]:
    """The ``already_taking`` flag when the case takes ``drug`` (or took it: a stopped treatment)."""
    if drug not in case.drugs:
        return []
    return [Flag(kind="already_taking", detail=_uses(ix, drug, case))]


def _case_reactions(ix: DiagnosisIndex, drug: str, case: Case) -> list[Flag]:
    """A flag for each adverse event the patient had on ``drug``, naming where the input says so."""
    return [Flag(kind="adverse_event_in_case", detail=f"the case had {what} on {_named(ix, drug)}{where}")
            for what, where in map(partial(_event, ix), case.drug_reactions.get(drug, ()))]


def _event(ix: DiagnosisIndex, e: DrugReaction) -> tuple[str, str]:
    """An adverse event of the case for a flag: its id and label, and where the input says so."""
    label = ix.ontology.label(e.id, e.label)
    return f"{e.id}{f' {label}' if label else ''}", f" ({e.origin})" if e.origin else ""


def _class_clashes(ix: DiagnosisIndex, t: Treatment, case: Case) -> list[Flag]:
    """``allergy_class`` for each of the case's allergens, and ``already_taking_class`` for each of
    its drugs, that is another drug sharing a narrow class with the listed drug
    (:func:`reasoning.drug_classes.shared_narrow`), naming the classes and their source."""
    mine = ix.drug_classes.get(t.drug, ())
    if not mine:
        return []
    flags = []
    for kind, refs in (("allergy_class", case.allergies), ("already_taking_class", case.drugs)):
        for other in refs:
            shared = shared_narrow(mine, ix.drug_classes.get(other, ())) if other != t.drug else []
            if not shared:
                continue
            why = f"the case is allergic to {_named(ix, other)}" if kind == "allergy_class" else _uses(ix, other, case)
            classes = " and ".join(c.described for c in shared)
            flags.append(Flag(kind=kind, source=", ".join(sorted({c.source for c in shared})),  # type: ignore[arg-type]
                              detail=f"{why}; {t.label} shares its {classes}"))
    return flags


def _class_reactions(ix: DiagnosisIndex, t: Treatment, case: Case) -> list[Flag]:
    """``adverse_event_in_case_class`` for each adverse event the patient had on a drug class
    (``Case.class_reactions``: ``steroid-induced hyperglycaemia``) that the listed drug is in, by
    the class id the input named (any class: the text chose it), citing where the input says so."""
    mine = {c.id: c for c in ix.drug_classes.get(t.drug, ())}
    flags = []
    for cid, events in case.class_reactions.items():
        c = mine.get(cid)
        if c is None:
            continue
        for what, where in map(partial(_event, ix), events):
            flags.append(Flag(kind="adverse_event_in_case_class", source=c.source,
                              detail=f"the case had {what} on a drug of the {c.described}, a class {t.label} is "
                                     f"in{where}"))
    return flags


def _class_reaction_gaps(ix: DiagnosisIndex, case: Case) -> list[str]:
    """A warning for each class of ``Case.class_reactions`` that no drug of the graph is in."""
    return [f"the case's reaction to the drug class {cid} flags no drug: the graph has no drug in that class"
            for cid in case.class_reactions if cid not in ix.class_members]


def _note_broader(ix: DiagnosisIndex, t: Treatment, ids: set[str]) -> None:
    """Say so on a drug known only for a disease the candidate is cross-referenced to, not one
    of its own ids: a cross-reference can join one broad disease to many specific ones (the
    Disease Ontology's *Parkinson's disease* to 22 OMIM Parkinson diseases), and the drug is
    then known for the broad disease, not stated for this one. The statements that make the
    relation count: the curated ones, or the text-mined ones of a ``text_mined`` drug."""
    stated: list[DrugEvidence] | list[TextEvidence] = t.evidence or t.text_evidence
    if any(e.disease in ids for e in stated):
        return
    via = sorted({e.disease for e in stated})
    t.stated_for = via
    named = ", ".join(f"{d} ({ix.disease_labels.get(d, d)}, cross-referenced to "
                      f"{len(ix.xref_neighbours.get(d, ()))} diseases)" for d in via)
    extra = f"stated for {named}, not for this disease itself"
    if t.evidence and (own := sorted({e.disease for e in t.text_evidence if e.disease in ids})):
        read = "/".join(sorted({e.predicate for e in t.text_evidence if e.disease in ids}))
        extra = (f"{t.relation} is stated for {named}, not for this disease itself; "
                 f"text read '{read}' for {', '.join(own)} itself (text-mined, not curated)")
    t.note = f"{t.note}; {extra}" if t.note else extra


def _gap_note(listed: list[Treatment]) -> str | None:
    """What the list lacks: no curated treatment at all, and what is listed instead
    (unreviewed label indications, text-mined candidates).

    Example:
        >>> _gap_note([]), _gap_note([Treatment(drug="D", label="D", relation="treats", evidence=[])])
        ('no curated treatment for this disease in the graph', None)
        >>> _gap_note([Treatment(drug="D", label="D", relation="indicated", evidence=[])])
        'no curated treatment for this disease in the graph; 1 unreviewed label indication listed'
        >>> _gap_note([Treatment(drug=d, label=d, relation="text_mined", evidence=[]) for d in "AB"])
        'no curated treatment for this disease in the graph; 2 text-mined candidates listed'
    """
    if any(t.relation in CURATED for t in listed):
        return None
    counts = Counter(t.relation for t in listed)
    parts = [NO_CURATED]
    for relation, what in (("indicated", UNREVIEWED), ("text_mined", TEXT_MINED)):
        if n := counts[relation]:
            parts.append(f"{n} {what}{'s' if n > 1 else ''} listed")
    return "; ".join(parts)


def _entry(found: dict[tuple[str, Relation], Treatment], drug: str, label: str | None,
           relation: Relation) -> Treatment:
    """The drug's entry of ``relation`` among the drugs found for a candidate (a new one if none)."""
    note = {"indicated": UNREVIEWED_NOTE, "text_mined": TEXT_MINED_NOTE}.get(relation)
    return found.setdefault((drug, relation), Treatment(drug=drug, label=label or drug, relation=relation,
                                                        evidence=[], note=note))


def _add(ix: DiagnosisIndex, found: dict[tuple[str, Relation], Treatment], disease: str, suffix: list[str],
         row: tuple[Any, ...]) -> None:
    """Add one drug → disease statement of the graph (a row of ``ix.drugs_by_disease``) to the
    drugs found for a candidate: a text-mined source's to the drug's ``text_mined`` entry, a
    curated one to its relation's entry, with the text merged into it as text evidence."""
    drug, label, predicate, _disease, src, ver, ref = row
    kind = predicate.lower()
    path = [drug, kind, disease, *suffix]
    tm = ix.text_mined
    if tm.is_text(src):
        if RELATIONS[kind] != "not_indicated":  # text states no non-indication: not a curated one either
            t = _entry(found, drug, label, "text_mined")
            t.text_evidence.extend(tm.evidence(src, drug, kind, disease, path, fallback=ref))
        return
    reference, merged = tm.split(ref)
    t = _entry(found, drug, label, RELATIONS[kind])
    t.evidence.append(DrugEvidence(predicate=kind, disease=disease, source=src, source_version=ver,
                                   reference=reference, path=path))
    for name, text in merged:
        t.text_evidence.extend(tm.evidence(name, drug, kind, disease, path, fallback=text))


def _fold_text(found: dict[tuple[str, Relation], Treatment]) -> None:
    """A drug that a curated source or a label states too keeps that relation (the first in
    :data:`LISTED`): its text-mined statements join that entry as text evidence."""
    for (drug, relation), t in list(found.items()):
        if relation != "text_mined":
            continue
        keep = next((found[(drug, r)] for r in LISTED if r != "text_mined" and (drug, r) in found), None)
        if keep is not None:
            keep.text_evidence.extend(t.text_evidence)
            del found[(drug, relation)]


def treat(
    differential: Differential,
    case: Case | None = None,
    *,
    kg: str | Path | DiagnosisIndex | None = None,
    top_n: int = 5,
    lenient: bool = False,
) -> TreatmentPlan:
    """Drugs for the top ``top_n`` candidates of ``differential``.

    Args:
        differential: the output of :func:`reasoning.diagnose`.
        case: the case (allergies, current drugs, features); default the differential's. Its
            drugs and allergies are resolved against the graph (ids or names).
        kg: the bundle or index (default: the bundle the differential came from; a differential
            ranked on a store needs its index here).
        top_n: how many candidates to cover, at least 1.
        lenient: skip drugs and allergies that are not drugs of the graph (with a warning)
            instead of failing.

    Raises:
        ConfigError: ``differential`` is not a :class:`Differential` or ``case`` not a
            :class:`Case`, ``top_n`` is not a positive whole number, or no ``kg`` is given for a
            differential that names no bundle (one ranked on a store).
        UnknownDrugError: a drug or allergy is not a drug of the graph (and not ``lenient``).
    """
    if not isinstance(differential, Differential):
        raise ConfigError(f"treat() takes the Differential that diagnose() returns, got {type(differential).__name__}")
    if case is not None and not isinstance(case, Case):
        raise ConfigError(f"case must be a reasoning.Case, got {type(case).__name__}")
    check_count("top_n", top_n)
    if isinstance(kg, DiagnosisIndex):
        ix = kg
    elif kg is not None or "bundle" in differential.graph:
        ix = load_index(kg or differential.graph["bundle"])
    else:
        where = differential.graph.get("store")
        raise ConfigError(f"the differential was ranked on {f'the store {where}' if where else 'a graph it does not name'}"
                          ", not a bundle: give its index, treat(differential, case, kg=index)")
    case, warnings = resolve_medication(ix, case or differential.case, lenient=lenient)
    plans: list[DiseaseTreatments] = []
    for cand in differential.candidates[:top_n]:
        linked = _linked(ix, cand.id, cand.ids)
        found: dict[tuple[str, Relation], Treatment] = {}
        for disease, suffix in linked.items():
            for row in ix.drugs_by_disease.get(disease, ()):
                _add(ix, found, disease, suffix, row)
        _fold_text(found)
        for t in found.values():
            _note_broader(ix, t, set(cand.ids))
        not_ind = {t.drug: t for t in found.values() if t.relation == "not_indicated"}
        listed = [t for t in found.values() if t.relation != "not_indicated"]
        own = {e.case_term: e.disease_term for e in cand.evidence
               if e.kind in DISEASE_MATCHES and e.case_term and e.disease_term}
        for t in listed:
            if t.drug in not_ind:
                srcs = ", ".join(sorted({e.source or "?" for e in not_ind[t.drug].evidence}))
                t.flags.append(Flag(kind="not_indicated", source=srcs,
                                    detail=f"{srcs} states {t.label} is not indicated for this disease"))
            if t.drug in case.allergies:
                t.flags.append(Flag(kind="allergy", detail=f"the case is allergic to {_named(ix, t.drug)}"))
            t.flags.extend(_taking(ix, t.drug, case))
            t.flags.extend(_class_clashes(ix, t, case))
            t.flags.extend(_adverse_overlaps(ix, t.drug, case, own))
            t.flags.extend(_case_reactions(ix, t.drug, case))
            t.flags.extend(_class_reactions(ix, t, case))
        listed.sort(key=lambda t: (LISTED.index(t.relation), len(t.flags),
                                   -len(t.evidence or t.text_evidence), t.drug))
        listed_drugs = {t.drug for t in listed}
        apart = [t for t in not_ind.values() if t.drug not in listed_drugs]
        for t in apart:  # a drug the case takes that a curated source says is not indicated: said too
            t.flags.extend(_taking(ix, t.drug, case))
        plans.append(DiseaseTreatments(
            rank=cand.rank, disease=cand.id, label=cand.label, treatments=listed, not_indicated=apart,
            note=_gap_note(listed),
        ))
    listed = [t for p in plans for t in p.treatments]
    if listed and (case.allergies or case.drugs):
        warnings.append(_matching_warning(ix))
        if bare := _unclassed(ix, case):
            warnings.append(bare)
    if listed:
        warnings.extend(_class_reaction_gaps(ix, case))
    if gap := _adverse_gap(ix, listed):
        warnings.append(gap)
    return TreatmentPlan(diseases=plans, warnings=warnings)
