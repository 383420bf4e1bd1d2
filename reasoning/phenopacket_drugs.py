"""A case's drugs from a phenopacket v2's ``medicalActions``.

Each ``medicalActions[i].treatment.agent`` is a drug the patient takes or took, read as
``--drug`` (``case_from_hpo(drugs=...)``) would read it, so that ``--treatments`` flags it
``already_taking``:

* A DrugBank id (``DrugBank:DB00571``, any case) is the drug; resolving the case against a
  graph checks it like ``--drug`` (an error naming the JSON path; ``--lenient``: skipped with a warning).
* Another vocabulary's id (``RxNorm:``, ``CHEBI:``, ...): the graph's drugs are DrugBank's, so
  the agent is looked up by its label (by its id when it has none and the prefix is known);
  when that names no drug of the graph it is skipped with a warning naming the JSON path, even
  without ``--lenient``. A label spelt as an id is read as one (``DB00571`` is
  ``DRUGBANK:DB00571``), and one shaped like an id of an unknown vocabulary (``ATC:C07AA05``)
  is no name: a warning naming its JSON path. An agent with neither a usable label nor a known
  prefix is a warning here.
* A treatment that ended (a ``treatmentTerminationReason``, or dose intervals that all ended
  before today) still counts: the patient took the drug, and a candidate's treatment list should
  say so; the case lists it in ``drugs_stopped`` too, and the flag reads "took ... (stopped)".
* A ``procedure``, ``radiationTherapy`` or ``therapeuticRegimen`` is not a drug: a note says it
  was not read.
* ``adverseEvents`` of a treatment are the patient's reactions to its drug (``reactions``, the
  case's ``drug_reactions``); those of an action that is no drug are noted, not used.

Example:
    >>> from reasoning.phenopacket import MedicalAction
    >>> acts = [MedicalAction.model_validate(a) for a in (
    ...     {"treatment": {"agent": {"id": "DrugBank:DB00571", "label": "Propranolol"}}},
    ...     {"treatment": {"agent": {"id": "RxNorm:8787", "label": "Propranolol"}},
    ...      "treatmentTerminationReason": {"id": "NCIT:C41331", "label": "Adverse Event"}},
    ...     {"procedure": {"code": {"id": "NCIT:C51585"}}})]
    >>> d = treatment_drugs(acts, "p.json")
    >>> d.drugs, d.stopped, d.if_known
    (['DRUGBANK:DB00571', 'Propranolol'], ['Propranolol'], ['Propranolol'])
    >>> d.origins
    {'DRUGBANK:DB00571': 'p.json: medicalActions[0].treatment.agent.id', 'Propranolol': 'p.json: medicalActions[1].treatment.agent.label'}
    >>> d.notes[-1]
    'p.json: medicalActions[2] is a procedure, not a drug: not read'
    >>> a = MedicalAction.model_validate({"treatment": {"agent": {"id": "DrugBank:DB00571"}},
    ...     "adverseEvents": [{"id": "HP:0002315", "label": "Headache"}]})
    >>> treatment_drugs([a], "p.json").reactions
    {'DRUGBANK:DB00571': [('HP:0002315', 'Headache', 'p.json: medicalActions[0].adverseEvents[0]')]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from kg.curie import drug_curie, prefix_of
from kg.errors import InvalidCurieError
from reasoning.phenopacket import MedicalAction, Treatment
from reasoning.phenopacket_age import as_utc

NOT_DRUGS = ("procedure", "radiationTherapy", "therapeuticRegimen")
"""Medical actions that are not a drug."""


@dataclass
class ActionDrugs:
    """What a phenopacket's medical actions say about the case's drugs.

    Attributes:
        drugs: drug refs (DrugBank CURIEs, or names to resolve), once each.
        stopped: those of ``drugs`` whose treatment ended.
        if_known: those of ``drugs`` not given by a DrugBank id: skipped with a warning, not an
            error, when the graph has no such drug.
        origins: each ref's file and JSON path (``p.json: medicalActions[0].treatment.agent.id``).
        reactions: per ref, the adverse events the patient had on it: ``(id, label, JSON path)``.
        notes: what was read and how.
        warnings: agents that could not be read.
    """

    drugs: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    if_known: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    reactions: dict[str, list[tuple[str, str | None, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _ended(a: MedicalAction, t: Treatment, now: datetime) -> str | None:
    """Why the treatment is over, or None if nothing says it is."""
    if a.treatmentTerminationReason is not None:
        r = a.treatmentTerminationReason
        return f"treatmentTerminationReason {r.id}" + (f" ({r.label})" if r.label else "")
    ends = [d.interval.end if d.interval else None for d in t.doseIntervals]
    if ends and all(e is not None for e in ends):
        last = max(as_utc(e) for e in ends if e is not None)
        if last < now:
            return f"its dose intervals ended by {last.date()}"
    return None


def _ref(t: Treatment, where: str, out: ActionDrugs) -> tuple[str, str] | None:
    """The drug ref of a treatment's agent and the JSON path it was read from (noting how a
    non-DrugBank id is looked up), or None."""
    agent = t.agent
    try:
        c = drug_curie(agent.id)
    except InvalidCurieError:
        c = None
    if c is not None and prefix_of(c) == "DRUGBANK":
        return c, f"{where}.id"
    label = (agent.label or "").strip()
    named = None
    if label:
        try:  # spelt as a case's drug is (an id-shaped label in its canonical spelling), or not read
            named = drug_curie(label) or label
        except InvalidCurieError as e:
            out.warnings.append(f"{where}.label: {label!r} is no drug name: {e}")
    ref = named or c
    if ref is None:
        out.warnings.append(f"{where}.id: {agent.id!r} is not a DrugBank id and the agent has no "
                            + ("usable " if label else "") + "label: not read as a drug")
        return None
    out.notes.append(f"{where}.id: {agent.id} is not a DrugBank id: looked up by its "
                     + (f"label {label!r}" if named else "id"))
    if ref not in out.if_known:
        out.if_known.append(ref)
    return ref, f"{where}.label" if named else f"{where}.id"


def treatment_drugs(actions: list[MedicalAction], origin: str, now: datetime | None = None) -> ActionDrugs:
    """The drugs that a phenopacket's ``medicalActions`` give (see the module's rules).

    Args:
        actions: the validated medical actions.
        origin: the file name, for notes and warnings.
        now: today (for dose intervals that ended); the current time when None.
    """
    now = now or datetime.now(timezone.utc)
    out = ActionDrugs()
    current: set[str] = set()
    for i, a in enumerate(actions):
        where = f"{origin}: medicalActions[{i}]"
        events = ", ".join(f"{e.id} ({e.label})" if e.label else e.id for e in a.adverseEvents)
        t = a.treatment
        if t is None:
            if events:
                out.notes.append(f"{where}.adverseEvents: {events}: not a drug's: noted, not used")
            kind = next((k for k in NOT_DRUGS if getattr(a, k) is not None), None)
            out.notes.append(f"{where} is a {kind}, not a drug: not read" if kind
                             else f"{where} has no treatment: not read")
            continue
        read = _ref(t, f"{where}.treatment.agent", out)
        if read is None:
            if events:
                out.notes.append(f"{where}.adverseEvents: {events}: their drug was not read: not used")
            continue
        ref, path = read
        if a.adverseEvents:
            seen = out.reactions.setdefault(ref, [])
            seen += [(e.id, e.label, f"{where}.adverseEvents[{k}]") for k, e in enumerate(a.adverseEvents)
                     if all(e.id != r[0] for r in seen)]
        if ref not in out.drugs:
            out.drugs.append(ref)
            out.origins[ref] = path
        why = _ended(a, t, now)
        if why is None:
            current.add(ref)
        else:
            out.notes.append(f"{where}: {ref} was stopped ({why}): counted as a drug the patient took")
            if ref not in out.stopped:
                out.stopped.append(ref)
    out.stopped = [d for d in out.stopped if d not in current]  # another action still gives it
    return out
