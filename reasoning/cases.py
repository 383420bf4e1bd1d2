"""Patient cases: present and excluded phenotypes plus what else is known.

A case is built from HPO ids, from a GA4GH phenopacket v2 file, or (through
extraction) from free text. Checking its ids against a graph is the job of
:func:`reasoning.resolve.resolve_case`.

Example:
    >>> c = case_from_hpo(["HP:0001166", "hp:0001519"], excluded=["HP:0000545"])
    >>> c.present, c.excluded
    (['HP:0001166', 'HP:0001519'], ['HP:0000545'])
    >>> case_from_hpo([])
    Traceback (most recent call last):
    ...
    reasoning.errors.EmptyCaseError: the case has no present phenotype
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from kg.curie import drug_curie, normalize_curie
from kg.errors import InvalidCurieError
from kg.extraction.readers import skipped_in_folder
from reasoning.errors import CaseError, EmptyCaseError, PhenopacketError
from reasoning.phenopacket import MAX_AGE_YEARS, Phenopacket
from reasoning.phenopacket_age import describe
from reasoning.phenopacket_subject import subject_facts
from reasoning.phenopacket_diagnoses import known_diagnoses
from reasoning.phenopacket_drugs import treatment_drugs
from reasoning.phenopacket_fields import unknown_fields
from reasoning.phenopacket_json import read_json_file

Sex = Literal["male", "female", "other", "unknown"]
_SEX: dict[str, Sex] = {"MALE": "male", "FEMALE": "female", "OTHER_SEX": "other", "UNKNOWN_SEX": "unknown"}
"""A phenopacket's ``Sex`` as a case's."""


class DrugReaction(BaseModel):
    """An adverse event the patient had on a drug.

    Attributes:
        id: the event's id as the input gives it (an HPO term, or another vocabulary's).
        label: its label as the input gives it.
        origin: where the input says so (a phenopacket's file and JSON path).
    """

    id: str
    label: str | None = None
    origin: str | None = None


class Case(BaseModel):
    """A patient case.

    Attributes:
        id: the case's name (a phenopacket's id or file name).
        present: observed phenotypes (HPO CURIEs).
        excluded: phenotypes explicitly ruled out.
        age_years: age at last encounter, if known: 0 to :data:`MAX_AGE_YEARS` (finite).
        sex: ``male``, ``female``, ``other`` or ``unknown``.
        conditions: known conditions (disease CURIEs).
        drugs: current drugs: CURIEs, or drug names until the case is resolved against a graph
            (:func:`reasoning.resolve.resolve_case` turns a name into its drug's id). A
            phenopacket's treatment agents are drugs the patient takes or took.
        drugs_stopped: those of ``drugs`` that the input says were stopped (a phenopacket
            treatment that ended); ``--treatments`` flags them "took", not "takes".
        drugs_if_known: those of ``drugs`` to skip with a warning, not an error, when the graph
            has no such drug (a phenopacket agent not given by a DrugBank id).
        allergies: drug allergies, as ``drugs``.
        drug_reactions: adverse events the patient had on a drug (a phenopacket medical action's
            ``adverseEvents``), by the drug's ref in ``drugs``; ``--treatments`` flags the drug
            ``adverse_event_in_case``.
        class_reactions: adverse events the patient had on a drug class that a text names, not a
            drug (``steroid-induced hyperglycaemia``), by the class's id (``NDFRT:N0000175576``);
            ``--treatments`` flags the graph's drugs of that class ``adverse_event_in_case_class``.
        diagnoses: the case's known diagnoses (from a phenopacket); never used
            for ranking, only to score benchmarks.
        candidate_diagnoses: diseases a phenopacket names in an interpretation that is not solved
            (``IN_PROGRESS``, ``UNSOLVED``); not diagnoses.
        origins: where in the input an id or drug was read (a phenopacket's file and JSON path),
            for errors and warnings about it.
        notes: what happened while building the case (e.g. replaced ids).
        warnings: what the user should check in the input (e.g. a term both present and
            excluded); :func:`reasoning.diagnose` passes them on in the differential's warnings.
        spans: for a case from text, each id's text spans.
        onsets: a phenopacket's observed features' onsets, as given (``P3Y``, ``HP:0003593
            (Infantile onset)``); shown to the user, not used in the ranking.
    """

    id: str | None = None
    present: list[str]
    excluded: list[str] = Field(default_factory=list)
    age_years: float | None = Field(default=None, ge=0, le=MAX_AGE_YEARS, allow_inf_nan=False)
    sex: Sex | None = None
    conditions: list[str] = Field(default_factory=list)
    drugs: list[str] = Field(default_factory=list)
    drugs_stopped: list[str] = Field(default_factory=list)
    drugs_if_known: list[str] = Field(default_factory=list)
    allergies: list[str] = Field(default_factory=list)
    drug_reactions: dict[str, list[DrugReaction]] = Field(default_factory=dict)
    class_reactions: dict[str, list[DrugReaction]] = Field(default_factory=dict)
    diagnoses: list[str] = Field(default_factory=list)
    candidate_diagnoses: list[str] = Field(default_factory=list)
    origins: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    spans: dict[str, list[str]] = Field(default_factory=dict)
    onsets: dict[str, str] = Field(default_factory=dict)

    @field_validator("present", "excluded", "conditions")
    @classmethod
    def _canonical_ids(cls, ids: list[str]) -> list[str]:
        """Ids in their canonical spelling (``hp:0001166`` → ``HP:0001166``), once each; what is not
        a known CURIE is kept as given, for :func:`reasoning.diagnose` to report by name."""
        return _canonical(ids, normalize_curie)

    @field_validator("drugs", "drugs_stopped", "drugs_if_known", "allergies")
    @classmethod
    def _canonical_drugs(cls, refs: list[str]) -> list[str]:
        """Drug ids in their canonical spelling (names kept), once each."""
        return _canonical(refs, _drug_ref)


def _canonical(values: list[str], norm: Callable[[str], str]) -> list[str]:
    """``values`` normalised by ``norm`` where it can, each once (one it refuses is kept as given)."""
    out: list[str] = []
    for x in values:
        try:
            x = norm(x)
        except InvalidCurieError:
            pass
        if x not in out:
            out.append(x)
    return out


def _curies(ids: Iterable[str], what: str, norm: Callable[[str], str] = normalize_curie,
            skipped: list[str] | None = None) -> list[str]:
    """The normalised ids; one that is not a CURIE is an error, or with ``skipped`` a message there.

    Raises:
        CaseError: ``ids`` is one string or no collection, or holds something other than text
            (a mistake of the caller, whatever ``skipped`` says).
        InvalidCurieError: an id is not a CURIE with a known prefix (without ``skipped``).

    Example:
        >>> _curies("HP:0001166", "present phenotypes")
        Traceback (most recent call last):
        ...
        reasoning.errors.CaseError: present phenotypes: give a list of ids, not one string ('HP:0001166')
    """
    if isinstance(ids, str | bytes):
        raise CaseError(f"{what}: give a list of ids, not one string ({ids!r})")
    try:
        items = list(ids)
    except TypeError as e:
        raise CaseError(f"{what}: give a list of ids, got {type(ids).__name__}") from e
    out: list[str] = []
    for raw in items:
        if not isinstance(raw, str):
            raise CaseError(f"{what}: {raw!r} is not an id (ids are text, e.g. 'HP:0001166')")
        raw = raw.strip()
        if not raw:
            continue
        try:
            c = norm(raw)
        except InvalidCurieError as e:
            if skipped is None:
                raise InvalidCurieError(f"{what}: {e}") from e
            skipped.append(f"skipped {what} {raw!r}: {e}")
            continue
        if c not in out:
            out.append(c)
    return out


def present_wins(present: list[str], excluded: list[str]) -> tuple[list[str], list[str]]:
    """The excluded terms that are not also present, and a warning for each that is.

    Example:
        >>> present_wins(["HP:0001166"], ["HP:0001166", "HP:0000545"])
        (['HP:0000545'], ['HP:0001166 is both present and excluded: counted as present'])
    """
    both = [x for x in excluded if x in present]
    return ([x for x in excluded if x not in both],
            [f"{x} is both present and excluded: counted as present" for x in both])


def _drug_ref(text: str) -> str:
    """A drug id normalised (``drugbank:db01235`` and ``DB01235`` → ``DRUGBANK:DB01235``); text
    that is not an id is kept as a drug name, for resolution against the graph."""
    return drug_curie(text) or text


def with_medication(case: Case, drugs: Iterable[str] = (), allergies: Iterable[str] = (),
                    conditions: Iterable[str] = ()) -> Case:
    """The case with more current drugs and drug allergies (ids or names), and more known
    conditions (disease ids), normalised as in :func:`case_from_hpo`, added to those it has.

    Raises:
        InvalidCurieError: a value has the shape of a CURIE but an unknown prefix.
        CaseError: a list of values is one string, or holds something other than text.

    A drug given here is one the patient takes now, even if the case says it was stopped (a
    phenopacket's finished treatment): it leaves ``drugs_stopped``.

    Example:
        >>> c = with_medication(case_from_hpo(["HP:0001166"]), allergies=["drugbank:db00335", "Atenolol"])
        >>> c.allergies
        ['DRUGBANK:DB00335', 'Atenolol']
        >>> c = case_from_hpo(["HP:0001166"], drugs=["DB00571"]).model_copy(update={"drugs_stopped": ["DRUGBANK:DB00571"]})
        >>> with_medication(c, drugs=(d for d in ["drugbank:DB00571"])).drugs_stopped  # any iterable, read once
        []
    """
    added = _curies(drugs, "drugs", _drug_ref)
    allergic, known = _curies(allergies, "allergies", _drug_ref), _curies(conditions, "conditions")
    return case.model_copy(update={
        "drugs": _curies([*case.drugs, *added], "drugs", _drug_ref),
        "drugs_stopped": [d for d in case.drugs_stopped if d not in added],
        "allergies": _curies([*case.allergies, *allergic], "allergies", _drug_ref),
        "conditions": _curies([*case.conditions, *known], "conditions"),
    })


def case_from_hpo(
    present: Iterable[str],
    excluded: Iterable[str] = (),
    *,
    case_id: str | None = None,
    age_years: float | None = None,
    sex: Sex | None = None,
    conditions: Iterable[str] = (),
    drugs: Iterable[str] = (),
    allergies: Iterable[str] = (),
    lenient: bool = False,
) -> Case:
    """A case from HPO ids (CURIEs in any case; duplicates dropped; a term both present and
    excluded is present, with a warning).

    Drugs and allergies are CURIEs (``drugbank:db01235``), bare DrugBank accessions
    (``DB01235``) or drug names; resolving the case against a graph checks them. With
    ``lenient``, a phenotype that is not a CURIE with a known prefix is skipped with a warning.

    Raises:
        EmptyCaseError: no present phenotype.
        InvalidCurieError: an id is not a CURIE with a known prefix (and not ``lenient``).
        CaseError: a list of ids is one string, or holds something other than text; ``age_years``,
            ``sex`` or ``case_id`` is not a valid value.

    Example:
        >>> case_from_hpo(["HP:0001166", "FOO:1"], lenient=True).warnings[0][:62]
        "skipped present phenotypes 'FOO:1': unknown CURIE prefix 'FOO'"
    """
    skipped: list[str] | None = [] if lenient else None
    pres = _curies(present, "present phenotypes", skipped=skipped)
    excl, warnings = present_wins(pres, _curies(excluded, "excluded phenotypes", skipped=skipped))
    warnings = [*(skipped or []), *warnings]
    if not pres:
        raise EmptyCaseError("the case has no present phenotype" + (f" ({'; '.join(skipped)})" if skipped else ""))
    fields = {"conditions": _curies(conditions, "conditions"), "drugs": _curies(drugs, "drugs", _drug_ref),
              "allergies": _curies(allergies, "allergies", _drug_ref)}
    try:
        return Case(id=case_id, present=pres, excluded=excl, age_years=age_years, sex=sex, warnings=warnings, **fields)
    except ValidationError as e:  # age_years, sex or case_id out of range or of the wrong type
        raise CaseError("; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']} (got {err['input']!r})"
                                  for err in e.errors())) from e


def _json_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _features(p: Phenopacket, origin: str, lenient: bool) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """Present and excluded phenotype ids, warnings, and each id's JSON path."""
    present: list[str] = []
    excluded: list[str] = []
    warnings: list[str] = []
    origins: dict[str, str] = {}
    for i, f in enumerate(p.phenotypicFeatures):
        where = f"phenotypicFeatures[{i}]"
        try:
            c = normalize_curie(f.type.id)
        except InvalidCurieError as e:
            problem = PhenopacketError(origin, f"{where}.type.id", str(e))
            if not lenient:
                raise problem from e
            warnings.append(f"skipped the feature {f.type.id!r} at {problem}")
            continue
        if f.negated is not None and "excluded" in f.model_fields_set and f.negated != f.excluded:
            raise PhenopacketError(origin, f"{where}.negated",
                                   f"{str(f.negated).lower()} contradicts excluded: {str(f.excluded).lower()}")
        if f.negated and not f.excluded:
            warnings.append(f"{origin}: {where}.negated is phenopacket v1: {c} counted as "
                            "excluded (v2 says excluded: true)")
        (excluded if f.excluded or f.negated else present).append(c)
        origins.setdefault(c, f"{origin}: {where}.type.id")
    return present, excluded, warnings, origins


def _onsets(p: Phenopacket) -> dict[str, str]:
    """Each observed feature's onset as the phenopacket gives it (the first, for a term given twice)."""
    out: dict[str, str] = {}
    for f in p.phenotypicFeatures:
        if f.onset is not None and not (f.excluded or f.negated):
            try:
                out.setdefault(normalize_curie(f.type.id), describe(f.onset))
            except InvalidCurieError:
                continue  # reported (or skipped) with the feature
    return out


_NOT_PHENOPACKETS = {"Family": {"proband", "relatives", "pedigree"}, "Cohort": {"members"}}
"""Top-level fields of the GA4GH messages that hold phenopackets but are none."""


def parse_phenopacket(data: Any, origin: str = "<phenopacket>", *, lenient: bool = False) -> Case:
    """A case from a parsed phenopacket v2 object.

    A feature with the v1 field ``negated: true`` counts as excluded, with a warning naming
    its JSON path (v2 says ``excluded``); ``negated`` and ``excluded`` that disagree are an error.
    Sex ``OTHER_SEX`` is ``other`` and ``UNKNOWN_SEX`` ``unknown``. The age is
    ``subject.timeAtLastEncounter`` in any of its forms (:mod:`reasoning.phenopacket_age`: a range's
    midpoint, a gestational age 0, ...; one that gives no age is a warning), else a deceased
    subject's age at death; ``vitalStatus`` is a note (:mod:`reasoning.phenopacket_subject`).
    Each observed feature's ``onset`` is kept in ``onsets``, as given. Treatment agents
    of ``medicalActions`` are the case's drugs (:mod:`reasoning.phenopacket_drugs`). Diagnoses
    follow the interpretations' ``progressStatus`` (:mod:`reasoning.phenopacket_diagnoses`).

    Args:
        data: the parsed JSON.
        origin: the file name, for messages.
        lenient: skip a feature whose id is not a CURIE with a known prefix, with a warning naming
            its JSON path, as :func:`case_from_hpo` does (a malformed phenopacket is still an error).

    Raises:
        PhenopacketError: the object is not a phenopacket, or a feature id is not a CURIE with
            a known prefix and not ``lenient`` (names the JSON path).
        EmptyCaseError: it has no observed phenotype.

    Example:
        >>> parse_phenopacket({"phenotypicFeatures": [{"type": {"label": "x"}}]}, "p.json")
        Traceback (most recent call last):
        ...
        reasoning.errors.PhenopacketError: p.json: phenotypicFeatures[0].type.id: Field required
        >>> c = parse_phenopacket({"phenotypicFeatures": [{"type": {"id": "HP:0001166"}},
        ...                        {"type": {"id": "MP:0000001"}}]}, "p.json", lenient=True)
        >>> c.present, c.warnings[0].split(" in ")[0]
        (['HP:0001166'], "skipped the feature 'MP:0000001' at p.json: phenotypicFeatures[1].type.id: unknown CURIE prefix 'MP'")
    """
    if not isinstance(data, Mapping):
        raise PhenopacketError(origin, "", f"expected a JSON object, got {type(data).__name__}")
    other = next((kind for kind, keys in _NOT_PHENOPACKETS.items() if keys & data.keys()), None)
    if other is not None and not {"phenotypicFeatures", "phenotypic_features"} & data.keys():
        raise PhenopacketError(origin, "", f"a GA4GH {other} ({', '.join(sorted(_NOT_PHENOPACKETS[other] & data.keys()))}), "
                                           "not a Phenopacket: give each member's own phenopacket")
    try:
        p = Phenopacket.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        raise PhenopacketError(origin, _json_path(err["loc"]), err["msg"]) from e
    present, excluded, warnings, origins = _features(p, origin, lenient)
    warnings = unknown_fields(p, origin) + warnings
    if not present:
        skipped = f" ({'; '.join(warnings)})" if warnings else ""
        raise EmptyCaseError(f"{origin}: the phenopacket has no observed phenotypic feature{skipped}")
    dx = known_diagnoses(p, origin)
    acts = treatment_drugs(p.medicalActions, origin)
    notes = [*dx.notes, *acts.notes]
    warnings += [*dx.warnings, *acts.warnings]
    subj = p.subject
    age, subject_notes, subject_warnings = subject_facts(subj, origin)
    notes += subject_notes
    warnings += subject_warnings
    case = case_from_hpo(
        present,
        excluded,
        case_id=p.id or origin,
        age_years=age,
        sex=_SEX[subj.sex] if subj and subj.sex else None,
        drugs=acts.drugs,
    )
    return case.model_copy(update={
        "diagnoses": dx.diagnoses, "candidate_diagnoses": dx.candidates, "drugs_stopped": acts.stopped,
        "drugs_if_known": acts.if_known, "drug_reactions": {
            d: [DrugReaction(id=i, label=lab, origin=o) for i, lab, o in evs] for d, evs in acts.reactions.items()},
        "origins": {**origins, **acts.origins}, "notes": notes, "onsets": _onsets(p),
        "warnings": warnings + case.warnings})


def load_phenopacket(path: str | Path, *, lenient: bool = False) -> Case:
    """A case from a phenopacket v2 JSON file (see :func:`parse_phenopacket`).

    Args:
        path: the file.
        lenient: skip feature ids that are not CURIEs with a known prefix, with a warning.

    Raises:
        PhenopacketError: unreadable, not UTF-8, not JSON (a key given twice in one object
            included: :mod:`reasoning.phenopacket_json`) or malformed (names file and JSON path).
        EmptyCaseError: it has no observed phenotype.
    """
    path = Path(path)
    data = read_json_file(path)
    return parse_phenopacket(data, str(path), lenient=lenient)


def iter_phenopackets(folder: str | Path) -> list[Path]:
    """Every JSON file under a folder (the suffix in any case: ``.json``, ``.JSON``), sorted.

    The folder is read recursively, into symbolic links to folders too (each real folder once,
    so a link that loops is harmless). A link named ``*.json`` whose target is missing is listed,
    for reading it to report it (a file left out silently would be a case lost silently). Hidden
    files and folders (``.x.json``, macOS's ``._x.json``, ``.git/``) are left out, as
    ``medkg extract`` leaves them out of a folder (:func:`kg.extraction.readers.skipped_in_folder`).
    """
    root = Path(folder)
    seen: set[str] = set()
    found: list[Path] = []
    for here, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not skipped_in_folder(Path(d))]
        for name in files:
            p = Path(here, name)
            if (p.suffix.lower() == ".json" and not skipped_in_folder(Path(name))
                    and (p.is_file() or (p.is_symlink() and not p.exists()))):
                found.append(p)
    return sorted(found)
