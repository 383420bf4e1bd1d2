"""Check a case's ids against the graph: replace obsolete ids that have a replacement, report
unknown ones (an obsolete id without a replacement as HPO says it: see :mod:`reasoning.obsolete`).

Phenotypes must be terms of the graph's phenotype ontology; drugs and allergies must be
drugs of the graph, given by id or by a name of exactly one drug (its label or a synonym, or
a salt or ester form of one: ``sodium valproate``), or a combination written ``A/B`` or
``A + B`` whose components each name exactly one drug (``levodopa/carbidopa``).

Example:
    >>> from reasoning import case_from_hpo, load_index
    >>> ix = load_index(FIXTURE_KG)
    >>> case = case_from_hpo(["HP:0001166"], drugs=["db00678"], allergies=["atenolol"])
    >>> resolved, warnings = resolve_medication(ix, case)
    >>> resolved.drugs, resolved.allergies, warnings
    (['DRUGBANK:DB00678'], ['DRUGBANK:DB00335'], ["allergies: 'atenolol' is the drug DRUGBANK:DB00335 (Atenolol)"])
    >>> resolve_medication(ix, case_from_hpo(["HP:0001166"], drugs=["OMIM:154700"]))
    Traceback (most recent call last):
    ...
    reasoning.errors.UnknownDrugError: drugs: OMIM:154700 is a disease, not a drug (--lenient, or lenient=True in Python, skips them with a warning)
"""

from __future__ import annotations

from kg.curie import is_curie, prefix_of
from kg.drug_forms import base_name, components
from reasoning.cases import Case, DrugReaction, present_wins
from reasoning.errors import EmptyCaseError, UnknownConditionError, UnknownDrugError, UnknownTermError
from reasoning.index import DiagnosisIndex
from reasoning.obsolete import not_in_graph, obsolete_reason
from reasoning.ontology import PhenotypeOntology
from reasoning.scoring import CaseTerms

PHENOTYPIC_ABNORMALITY = "HP:0000118"
"""The HPO branch whose terms describe a patient's abnormalities (its siblings under
``HP:0000001`` All: mode of inheritance, clinical modifier, frequency, ...)."""


def _not_a_drug(ix: DiagnosisIndex, ref: str) -> str:
    """Why ``ref``, which names no drug of the graph, is not one."""
    if ref in ix.disease_labels:
        return "a disease, not a drug"
    if ix.ontology.current(ref) is not None:
        return "a phenotype, not a drug"
    if ref in ix.ontology.obsolete:
        return "an obsolete HPO phenotype term, not a drug"
    if is_curie(ref):
        return "not a drug in the graph"
    named = ix.drugs_named(ref)
    if named:
        return f"the name of {len(named)} drugs ({', '.join(named)}): give the id"
    base = base_name(ref)
    if base is not None:
        return f"not the name of a drug in the graph (nor is {base!r}, without its salt or ester words)"
    return "not the name of a drug in the graph"


def _one_drug(ix: DiagnosisIndex, name: str) -> tuple[str | None, str]:
    """The one drug ``name`` names, and how (``'valproate'``, a salt or ester form, says so), or
    ``None`` and why it names none."""
    named = ix.drugs_named(name)
    if len(named) != 1:
        return None, _not_a_drug(ix, name)
    drug = named[0]
    base = base_name(name)
    how = f"{drug} ({ix.drug_labels[drug]})"
    if base is not None and ix.drugs_named_exactly(name) != named:
        how += f", as a salt or ester form of {base!r}"
    return drug, how


def _by_name(ix: DiagnosisIndex, ref: str) -> tuple[list[str], str]:
    """The drugs the name ``ref`` stands for and a note saying how; none and why not.

    A combination written ``A/B`` or ``A + B`` (:func:`kg.drug_forms.components`) that is no
    drug's name stands for its components, each of which must name exactly one drug."""
    drug, how = _one_drug(ix, ref)
    if drug is not None:
        return [drug], f"{ref!r} is the drug {how}"
    parts = components(ref) if not ix.drugs_named(ref) else None
    if parts is None:
        return [], how
    each = [(p, *_one_drug(ix, p)) for p in parts]
    missing = [f"{p!r} is {why}" for p, d, why in each if d is None]
    if missing:
        return [], f"a combination whose component {'; '.join(missing)}"
    return [d for _p, d, _h in each if d is not None], \
        f"{ref!r} is the combination of {' + '.join(h for _p, _d, h in each)}"


def _drugs(ix: DiagnosisIndex, refs: list[str], what: str, notes: list[str],
           problems: list[tuple[str, str, str]], found: dict[str, list[str]]) -> list[str]:
    """The drug ids that ``refs`` (ids or names) stand for; a name is noted, what is not a drug
    goes to ``problems``, and ``found`` gets each ref's drugs (a combination's components)."""
    out: list[str] = []
    for ref in refs:
        if ref in ix.drug_labels:
            drugs = [ref]
        elif is_curie(ref):
            drugs, why = [], _not_a_drug(ix, ref)
        else:
            drugs, why = _by_name(ix, ref)
            if drugs:
                notes.append(f"{what}: {why}")
        if not drugs:
            problems.append((what, ref, why))
            continue
        found[ref] = drugs
        out += [d for d in drugs if d not in out]
    return out


def _located(case: Case, problems: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The problems, each naming where in the input its value was read when the case knows."""
    return [(f"{what} ({case.origins[ref]})" if ref in case.origins else what, ref, why)
            for what, ref, why in problems]


def _conditions(ix: DiagnosisIndex, refs: list[str], problems: list[tuple[str, str, str]],
                notes: list[str]) -> list[str]:
    """The known conditions that are diseases of the graph; an alternative id is replaced by its
    disease (a note); the others go to ``problems`` (an obsolete id with its name and the ids its
    ontology suggests)."""
    out: list[str] = []
    for given in refs:
        ref = ix.disease_alt_ids.get(given, given)
        if ref != given:
            notes.append(f"{given} is an alternative id: replaced by {ref} ({ix.disease_labels[ref]})")
        if ref in ix.disease_labels:
            if ref not in out:
                out.append(ref)
        elif ref in ix.obsolete_diseases:
            name, consider = ix.obsolete_diseases[ref]
            suggest = (f"; the ontology suggests {', '.join(f'{c} ({ix.disease_labels.get(c, c)})' for c in consider)}"
                       if consider else ", with no replacement")
            problems.append(("conditions", ref, f"obsolete ({name or 'no name'}){suggest}"))
        elif ix.ontology.current(ref) is not None:
            problems.append(("conditions", ref, "a phenotype, not a disease (give it as a present phenotype)"))
        elif ref in ix.ontology.obsolete:
            problems.append(("conditions", ref, "an obsolete HPO phenotype term, not a disease"))
        elif ref in ix.drug_labels:
            problems.append(("conditions", ref, "a drug, not a disease"))
        else:
            problems.append(("conditions", ref, "not a disease in the graph"))
    return out


def _abnormalities(o: PhenotypeOntology, ids: list[str]) -> tuple[list[str], list[str]]:
    """The ids that are phenotypic abnormalities (strictly below ``HP:0000118``), and each of the
    others with why it is not (all kept when the ontology has no ``HP:0000118``)."""
    if PHENOTYPIC_ABNORMALITY not in o.index:
        return ids, []
    kept: list[str] = []
    others: list[str] = []
    for x in ids:
        label = o.label(x)
        if x == PHENOTYPIC_ABNORMALITY:
            others.append(f"{x} ({label}) says nothing about which abnormality")
        elif not o.is_ancestor(PHENOTYPIC_ABNORMALITY, x):
            others.append(f"{x} ({label}) is not a phenotypic abnormality (not under {PHENOTYPIC_ABNORMALITY})")
        else:
            kept.append(x)
    return kept, others


def _stopped(case: Case, found: dict[str, list[str]]) -> list[str]:
    """The drug ids of the case's stopped drugs that no drug it still takes stands for too."""
    taken = {d for r in case.drugs if r in found and r not in case.drugs_stopped for d in found[r]}
    return list(dict.fromkeys(d for r in case.drugs_stopped if r in found for d in found[r] if d not in taken))


def _reactions(case: Case, found: dict[str, list[str]]) -> dict[str, list[DrugReaction]]:
    """The case's drug reactions by drug id (those of a drug not found go with it; those of a
    combination with each of its components). A reaction's drug need not be one the case takes."""
    out: dict[str, list[DrugReaction]] = {}
    for ref, events in case.drug_reactions.items():
        for drug in found.get(ref, ()):
            have = out.setdefault(drug, [])
            have += [e for e in events if all(e.id != h.id for h in have)]
    return out


def resolve_medication(ix: DiagnosisIndex, case: Case, *, lenient: bool = False) -> tuple[Case, list[str]]:
    """The case with its drugs and allergies as drug ids of the graph, and warnings.

    A drug in ``case.drugs_if_known`` (a phenopacket agent not given by a DrugBank id) that the
    graph lacks is skipped with a warning even when not ``lenient``. A problem with a value the
    case knows the origin of (``case.origins``: a phenopacket's JSON path) names it.

    Args:
        ix: the diagnosis index.
        case: the case as given (drug ids or drug names).
        lenient: skip what is not a drug with a warning instead of failing.

    Raises:
        UnknownDrugError: a drug, allergy or reaction's drug is not a drug of the graph (and not ``lenient``): an
            unknown id, another kind of node (a disease given as a drug), or a name that is not
            exactly one drug's label.
    """
    notes: list[str] = []
    problems: list[tuple[str, str, str]] = []
    found: dict[str, list[str]] = {}
    drugs = _drugs(ix, case.drugs, "drugs", notes, problems, found)
    # a reaction's drug need not be a current one (text: "She had a rash with sulfasalazine in the past")
    _drugs(ix, [r for r in case.drug_reactions if r not in found and r not in case.drugs], "drug_reactions",
           notes, problems, found)
    allergies = _drugs(ix, case.allergies, "allergies", notes, problems, {})
    warnings = list(notes) + [f"{d} ({ix.drug_labels.get(d, d)}) is both a current drug and an allergy"
                              for d in drugs if d in allergies]
    optional = [p for p in problems if p[0] == "drugs" and p[1] in case.drugs_if_known]
    problems = _located(case, [p for p in problems if p not in optional])
    if problems and not lenient:
        raise UnknownDrugError(problems)
    warnings += [f"skipped {what} {ref}: {why}" for what, ref, why in [*_located(case, optional), *problems]]
    origins = {**case.origins, **{drug: case.origins[ref] for ref, drugs in found.items() if ref in case.origins
                                  for drug in drugs}}
    resolved = case.model_copy(update={
        "drugs": drugs, "allergies": allergies, "notes": [*case.notes, *notes], "origins": origins,
        "drugs_stopped": _stopped(case, found), "drug_reactions": _reactions(case, found),
        "drugs_if_known": []})
    return resolved, warnings


def _implied_by_present(o: PhenotypeOntology, present: list[str], excluded: list[str]) -> tuple[list[str], list[str]]:
    """The excluded terms that no present term implies, and a warning for each that one does (a
    patient with *Arachnodactyly* has an *Abnormality of the hand*: excluding it contradicts the
    case; the present term wins, as for a term both present and excluded)."""
    kept: list[str] = []
    warnings: list[str] = []
    for x in excluded:
        below = [p for p in present if o.is_ancestor(x, p)]
        if below:
            warnings.append(f"{x} ({o.label(x)}) is excluded but the present {below[0]} "
                            f"({o.label(below[0])}) is a kind of it: the exclusion is dropped")
        else:
            kept.append(x)
    return kept, warnings


def _most_specific(o: PhenotypeOntology, present: list[str], excluded: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Each finding once: a present term that another present term is a kind of (*Seizure* beside
    *Focal seizure*), and an excluded term that is a kind of another excluded one (*Focal seizure*
    beside excluded *Seizure*), say nothing the other does not; scoring both would count one
    finding twice. They are dropped, each with a note."""
    notes: list[str] = []

    def label(x: str) -> str:
        return f"{x} ({o.label(x)})"

    kept_present = []
    for x in present:
        below = next((p for p in present if p != x and o.is_ancestor(x, p)), None)
        if below is None:
            kept_present.append(x)
        else:
            notes.append(f"{label(x)} is implied by the present {label(below)}: counted once, as the more specific term")
    kept_excluded = []
    for x in excluded:
        above = next((e for e in excluded if e != x and o.is_ancestor(e, x)), None)
        if above is None:
            kept_excluded.append(x)
        else:
            notes.append(f"the excluded {label(x)} is implied by the excluded {label(above)}: counted once, "
                         "as the more general exclusion")
    return kept_present, kept_excluded, notes


def _not_a_phenotype(ix: DiagnosisIndex, curie: str) -> str | None:
    """Why ``curie`` cannot be a case's phenotype when it is more than "not in the graph": an
    obsolete HPO term (what HPO suggests instead, if anything), a disease, not an HPO id."""
    o = ix.ontology
    if curie in o.obsolete:
        return obsolete_reason(o.obsolete[curie], ix.info.get("hpo_release"), o.label)
    label = ix.disease_labels.get(curie)
    if label is not None:
        return f"the disease {label!r}, not an HPO phenotype term"
    if prefix_of(curie) != "HP":
        return "not an HPO phenotype term"
    return None


def resolve_case(ix: DiagnosisIndex, case: Case, *, lenient: bool = False) -> tuple[Case, CaseTerms, list[str]]:
    """The case with current ids, its term indices, and warnings (the case's own first).

    A term both present and excluded counts as present, with a warning. A present term that
    another present term is a kind of, and an excluded term that is a kind of another excluded
    one, are dropped with a note: each finding counts once. Terms that say
    nothing about which abnormality the patient has (``HP:0000118`` Phenotypic abnormality,
    or a term outside that branch, such as ``HP:0000001`` All or a mode of inheritance) are
    skipped with a warning.

    Args:
        ix: the diagnosis index.
        case: the case as given.
        lenient: skip unknown ids with a warning instead of failing.

    Raises:
        UnknownTermError: an id is not in the graph's phenotype ontology (and not ``lenient``); the
            message says when the id is an obsolete HPO term (and which ids HPO suggests instead:
            a suggestion, never applied), a disease or not an HPO id at all, and names the
            graph's HPO release for an id it never had.
        UnknownDrugError: a drug or allergy is not a drug of the graph (and not ``lenient``).
        UnknownConditionError: a known condition is not a disease of the graph (and not ``lenient``).
        EmptyCaseError: no present phenotype (or no phenotypic abnormality) is left (the message
            names the ids skipped).
    """
    o = ix.ontology
    warnings = list(case.warnings)
    notes = list(case.notes)
    unknown: list[str] = []

    def fix(ids: list[str]) -> list[str]:
        out: list[str] = []
        for x in ids:
            cur = o.current(x)
            if cur is None:
                unknown.append(x)
            else:
                if cur != x:
                    at = f" at {case.origins[x]}" if x in case.origins else ""
                    notes.append(f"{x}{at} is obsolete or an alternative id: replaced by {cur} ({o.label(cur)})")
                if cur not in out:
                    out.append(cur)
        return out

    present, excluded = fix(case.present), fix(case.excluded)
    if unknown:
        reasons = {x: why for x in unknown if (why := _not_a_phenotype(ix, x)) is not None}
        error = UnknownTermError(unknown, reasons, {x: case.origins[x] for x in unknown if x in case.origins},
                                 not_in_graph(ix.info.get("hpo_release")))
        if not lenient:
            raise error
        warnings.append(error.skipped)
    excluded, contradictions = present_wins(present, excluded)
    warnings += contradictions
    if not present:
        raise EmptyCaseError("the case has no present phenotype that the graph knows"
                             + (f"; {error.skipped}" if unknown else ""))
    present, skipped = _abnormalities(o, present)
    excluded, skipped_excluded = _abnormalities(o, excluded)
    warnings += [f"{why}: skipped from scoring" for why in skipped + skipped_excluded]
    if not present:
        raise EmptyCaseError(f"the case has no present phenotypic abnormality: {'; '.join(skipped)}")
    excluded, implied = _implied_by_present(o, present, excluded)
    warnings += implied
    present, excluded, once = _most_specific(o, present, excluded)
    notes += once
    medicated, drug_warnings = resolve_medication(ix, case, lenient=lenient)
    problems: list[tuple[str, str, str]] = []
    conditions = _conditions(ix, case.conditions, problems, notes)
    if problems:
        if not lenient:
            raise UnknownConditionError(problems)
        drug_warnings += [f"skipped {what} {ref}: {why}" for what, ref, why in problems]
    resolved = medicated.model_copy(update={"present": present, "excluded": excluded, "conditions": conditions,
                                            "notes": notes + medicated.notes[len(case.notes):]})
    terms = CaseTerms([o.index[x] for x in present], [o.index[x] for x in excluded])
    return resolved, terms, warnings + drug_warnings + [n for n in notes if n not in case.notes]
