"""Analyst questions, each answered by one Cypher and one SPARQL query.

These are the questions of the README and of the compliance suite: every
store must give the same rows for each (ids are CURIEs, rows are fully
ordered). Parameters are bound (``$name``) in both languages. Oxigraph binds
SPARQL parameters by substitution (SEP-0007), which needs each parameter
variable in the top-level projection (and in GROUP BY); the store drops those
constant columns from the result. Oxigraph plans the query before the
values are known, so the SPARQL here is written for its planner: the required
pattern is a chain anchored on the parameter, other constraints are
``FILTER EXISTS`` or ``FILTER (?x IN (...))`` on a variable the chain binds,
and extra attributes are ``OPTIONAL`` single triple patterns. What we
measured on the full graph (on-disk store):

- an ``OPTIONAL`` holding a property path or a join
  (``OPTIONAL { ?a medkg:source/rdfs:label ?s }``) or a ``VALUES`` table is
  evaluated over the whole store and joined afterwards (seconds); a required
  ``?a medkg:source ?src`` (every association has exactly one) followed by
  ``OPTIONAL { ?src rdfs:label ?s }`` is a lookup per row;
- every string or IRI that is compared, sorted or returned is read back from
  the store (~20-70 us each), so ``?o != ?d`` is ``!sameTerm(?o, ?d)``, a
  top-N is cut before labels are fetched, and scans that must look at every
  label (substring search) cost ~1 s per 20,000 labels;
- counting every association takes ~0.4 s, so the per-source questions read
  the counts the build writes (``medkg:NodeCount``, ``medkg:StatementCount``,
  see ``kg/rdf.py``);
- a name search reads the ``medkg:name_word`` index the build writes (one
  triple per lower-case word of a label), a lookup on the bound word; a
  value computed in the query (``LCASE($text)``) is never used as a lookup
  key, so :meth:`Question.bind` lower-cases the word before binding;
- a join with a triple pattern is a lookup per row (~10-40 us each) and a
  property path is worse (``?d (medkg:xref|^medkg:xref)? ?d2``: ~50 us per
  row), while a ``SELECT DISTINCT`` subquery is evaluated once and
  hash-joined: ``drugs_for_phenotype`` joins five small scans that way (a
  required pattern after them, a lookup per pair of its ``TREATS`` statements
  for their sources, was planned as a scan: 0.9 s against 0.05 s);
- a required ``?x medkg:id ?id`` after a subquery may be planned as a scan of
  all 47,000 ids; an ``OPTIONAL`` one (every node has exactly one) is a
  lookup per row, and ``diseases_sharing_phenotypes`` first finds the 20th
  best count so that only the ids it may return are read.

Example:
    >>> q = QUESTIONS["phenotypes_of_disease"]
    >>> sorted(q.params)
    ['disease_id']
    >>> len(QUESTIONS) >= 10
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.curie import is_curie, normalize_curie
from kg.errors import ConfigError, InvalidCurieError
from kg.extraction.merge import TEXT_LICENSE
from kg.model import DRUG_DISEASE_PREDICATES
from kg.queries.dialect import spell


@dataclass(frozen=True, slots=True)
class Question:
    """One analyst question.

    Attributes:
        name: short key.
        title: the question in words.
        cypher: the Cypher answer, for LadybugDB and Neo4j (with the marks of
            :func:`kg.queries.dialect.spell`: read it through :meth:`cypher_for`).
        sparql: the SPARQL answer (prefixes ``medkg:``, ``rdfs:`` predeclared).
        params: example parameter values (used by the README and benchmarks).
        cypher_shapes: per engine, a Cypher answer of another shape where the engine
            stores the data otherwise (Neo4j keeps a source's statement counts as two lists);
            a difference of spelling is :func:`~kg.queries.dialect.spell`'s.
        lowercase: parameters that :meth:`bind` lower-cases (matched against
            lower-case values the build writes, e.g. ``medkg:name_word``).
    """

    name: str
    title: str
    cypher: str
    sparql: str
    params: dict[str, Any]
    cypher_shapes: dict[str, str] = field(default_factory=dict)
    lowercase: tuple[str, ...] = ()

    def bind(self, values: Mapping[str, Any] | None = None, *, examples: bool = True) -> dict[str, Any]:
        """The parameters to bind: ``values``, with the :attr:`lowercase` ones lower-cased, and
        the example value of each one not given (with ``examples=False`` that is an error:
        a misspelt or forgotten parameter must not answer the question for the example).

        Raises:
            ConfigError: a name the question has no parameter for, a value not of its example's
                kind (a word or id where text is taken, a whole number where a count is), or
                (``examples=False``) a parameter not given.

        Example:
            >>> QUESTIONS["find_disease_by_name"].bind({"word": "Marfan"})
            {'word': 'marfan'}
            >>> QUESTIONS["phenotypes_of_disease"].bind({"disease_id": " omim:154700 "})
            {'disease_id': 'OMIM:154700'}
            >>> QUESTIONS["phenotypes_of_disease"].bind({"disease": "OMIM:1"})
            Traceback (most recent call last):
            ...
            kg.errors.ConfigError: question 'phenotypes_of_disease' has no parameter 'disease' (its parameters: disease_id)
            >>> QUESTIONS["diseases_sharing_phenotypes"].bind({"disease_id": "OMIM:154700", "min_shared": "abc"})
            Traceback (most recent call last):
            ...
            kg.errors.ConfigError: question 'diseases_sharing_phenotypes': --param min_shared must be a whole number (e.g. min_shared=3), not 'abc'
        """
        given = dict(values or {})
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            raise ConfigError(f"question {self.name!r} has no parameter {', '.join(map(repr, unknown))} "
                              f"(its parameters: {', '.join(self.params) or 'none'})")
        missing = [k for k in self.params if k not in given]
        if missing and not examples:
            raise ConfigError(f"question {self.name!r} needs " + ", ".join(
                f"--param {k}=... (e.g. {k}={self.params[k]})" for k in missing))
        # a value given as a JSON number where the question takes text (a word "1") is that text
        given = {k: str(v) if isinstance(self.params[k], str) and isinstance(v, int | float) else v
                 for k, v in given.items()}
        for k, v in given.items():  # stores differ on a value of another kind: an error or no rows
            example = self.params[k]
            kind = "text" if isinstance(example, str) else "a whole number"
            if isinstance(v, bool) or not isinstance(v, type(example)):
                raise ConfigError(f"question {self.name!r}: --param {k} must be {kind} "
                                  f"(e.g. {k}={example}), not {v!r}")
        out = {**self.params, **given}
        for k in self.lowercase:
            if isinstance(out.get(k), str):
                out[k] = out[k].lower()
        for k, example in self.params.items():  # an id is spelt as the graph spells it (omim:154700)
            if isinstance(example, str) and is_curie(example) and isinstance(out.get(k), str):
                try:
                    out[k] = normalize_curie(out[k])
                except InvalidCurieError as e:
                    raise ConfigError(f"question {self.name!r}: --param {k}: {e}") from e
        return out

    def cypher_for(self, engine: str) -> str:
        """The Cypher text for ``engine`` (``ladybug`` or ``neo4j``).

        Example:
            >>> "toLower(type(r))" in QUESTIONS["treatments_of_disease"].cypher_for("neo4j")
            True
        """
        return spell(self.cypher_shapes.get(engine, self.cypher), engine)


_DRUG_DISEASE_CYPHER = "|".join(p.value for p in DRUG_DISEASE_PREDICATES)
"""The drug -> disease relationship types as a Cypher alternation (``TREATS|PALLIATES|...``)."""
_DRUG_DISEASE_SPARQL = ", ".join(f"medkg:{p.rdf_name}" for p in DRUG_DISEASE_PREDICATES)
"""The drug -> disease predicates as a SPARQL ``IN`` list (``medkg:treats, ...``)."""

assert not set("'\"\\\\") & set(TEXT_LICENSE)  # written into the query text as a string literal
_TEXT_MINED_CYPHER = f"coalesce(s.license = '{TEXT_LICENSE}', false)"
"""Whether a statement's source (``s``: its ``Source`` node, or null) is text-mined: it has the
licence a merge (``medkg extract --into``) gives its sources. A constant, not a user's value."""
_TEXT_MINED_SPARQL = f'BIND (COALESCE(?license = "{TEXT_LICENSE}", false) AS ?text_mined)'
"""The same in SPARQL, from ``?license`` (the ``medkg:license`` of the statement's source, if any)."""

_Q = [
    Question(
        "phenotypes_of_disease",
        "The phenotypes of a disease, most frequent first",
        """
MATCH (d:Disease {id: $disease_id})-[h:HAS_PHENOTYPE]->(p:PhenotypicFeature)
WHERE NOT h.negated
RETURN p.id AS phenotype, p.label AS label, h.frequency AS frequency, h.source AS source
ORDER BY coalesce(h.frequency, -1.0) DESC, phenotype, source""",
        """
SELECT $disease_id ?phenotype ?label ?frequency ?source WHERE {
  ?d medkg:id $disease_id .
  ?a medkg:subject ?d .
  ?a medkg:object ?p .
  FILTER EXISTS { ?a medkg:predicate medkg:has_phenotype }
  FILTER NOT EXISTS { ?a medkg:negated true }
  ?p medkg:id ?phenotype .
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?a medkg:frequency ?frequency }
  OPTIONAL { ?a medkg:source/rdfs:label ?source }
} ORDER BY DESC(COALESCE(?frequency, -1.0)) ?phenotype ?source""",
        {"disease_id": "OMIM:154700"},
    ),
    Question(
        "excluded_phenotypes_of_disease",
        "Phenotypes a source states a disease does NOT have",
        """
MATCH (d:Disease {id: $disease_id})-[h:HAS_PHENOTYPE]->(p:PhenotypicFeature)
WHERE h.negated
RETURN p.id AS phenotype, p.label AS label, h.source AS source
ORDER BY phenotype, source""",
        """
SELECT $disease_id ?phenotype ?label ?source WHERE {
  ?d medkg:id $disease_id .
  ?a medkg:subject ?d .
  ?a medkg:object ?p .
  FILTER EXISTS { ?a medkg:negated true }
  FILTER EXISTS { ?a medkg:predicate medkg:has_phenotype }
  ?p medkg:id ?phenotype .
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?a medkg:source/rdfs:label ?source }
} ORDER BY ?phenotype ?source""",
        {"disease_id": "OMIM:154700"},
    ),
    Question(
        "diseases_sharing_phenotypes",
        "Diseases that share at least $min_shared phenotypes with a disease",
        """
MATCH (d:Disease {id: $disease_id})-[h1:HAS_PHENOTYPE]->(p:PhenotypicFeature)<-[h2:HAS_PHENOTYPE]-(o:Disease)
WHERE NOT h1.negated AND NOT h2.negated AND o.id <> d.id
WITH o, count(DISTINCT p) AS shared
WHERE shared >= $min_shared
RETURN o.id AS disease, o.label AS label, shared
ORDER BY shared DESC, disease LIMIT 20""",
        """
SELECT $disease_id $min_shared ?disease ?label ?shared WHERE {
  { SELECT $disease_id $min_shared ?o ?shared WHERE {
      { SELECT $disease_id (MIN(?n) AS ?cut) WHERE {
          { SELECT $disease_id ?n WHERE {
              { SELECT $disease_id ?o (COUNT(*) AS ?n) WHERE {
                  ?d medkg:id $disease_id ; medkg:has_phenotype ?p .
                  ?o medkg:has_phenotype ?p .
                  FILTER (!sameTerm(?o, ?d))
                } GROUP BY $disease_id ?o }
            } ORDER BY DESC(?n) LIMIT 20 }
        } GROUP BY $disease_id }
      { SELECT $disease_id ?o (COUNT(*) AS ?shared) WHERE {
          ?d medkg:id $disease_id ; medkg:has_phenotype ?p .
          ?o medkg:has_phenotype ?p .
          FILTER (!sameTerm(?o, ?d))
        } GROUP BY $disease_id ?o }
      FILTER (?shared >= $min_shared && ?shared >= ?cut)
    } }
  OPTIONAL { ?o medkg:id ?disease }
  OPTIONAL { ?o rdfs:label ?label }
} ORDER BY DESC(?shared) ?disease LIMIT 20""",
        {"disease_id": "OMIM:154700", "min_shared": 3},
    ),
    Question(
        "drugs_for_phenotype",
        "Drugs that treat a disease presenting a phenotype (directly or through a cross-reference)",
        """
MATCH (:Drug)-[t:TREATS]->(d:Disease)
WHERE NOT t.negated
WITH DISTINCT d
MATCH (d)-[:XREF*0..1]-(:Disease)-[h:HAS_PHENOTYPE]->(:PhenotypicFeature {id: $phenotype_id})
WHERE NOT h.negated
WITH DISTINCT d
MATCH (dr:Drug)-[r:TREATS]->(d)
WHERE NOT r.negated
WITH dr, r.source AS source, count(DISTINCT d) AS diseases
OPTIONAL MATCH (s:Source) WHERE s.name = source
RETURN dr.id AS drug, dr.label AS label, source, """ + _TEXT_MINED_CYPHER + """ AS text_mined, diseases
ORDER BY diseases DESC, drug, source""",
        """
SELECT $phenotype_id ?drug ?label ?source ?text_mined ?diseases WHERE {
  # rdflib answers a GROUP BY over no solutions with one row binding nothing, which the
  # OPTIONALs below would join to every node: only rows with a drug go on (all stores agree)
  { { SELECT $phenotype_id ?dr ?src (COUNT(DISTINCT ?d) AS ?diseases) WHERE {
      { SELECT DISTINCT $phenotype_id ?d WHERE {
          { SELECT DISTINCT $phenotype_id ?d WHERE {
              ?p medkg:id $phenotype_id . ?d medkg:has_phenotype ?p } }
          UNION {
            { SELECT DISTINCT $phenotype_id ?d2 WHERE {
                ?p medkg:id $phenotype_id . ?d2 medkg:has_phenotype ?p } }
            { SELECT DISTINCT ?d ?d2 WHERE { ?d medkg:xref ?d2 } } }
          UNION {
            { SELECT DISTINCT $phenotype_id ?d2 WHERE {
                ?p medkg:id $phenotype_id . ?d2 medkg:has_phenotype ?p } }
            { SELECT DISTINCT ?d ?d2 WHERE { ?d2 medkg:xref ?d } } }
        } }
      # every treats statement with its source (a lookup per pair found is planned as a scan)
      { SELECT DISTINCT ?dr ?d ?src WHERE {
          ?a medkg:predicate medkg:treats ; medkg:subject ?dr ; medkg:object ?d ; medkg:source ?src .
          FILTER NOT EXISTS { ?a medkg:negated true } } }
    } GROUP BY $phenotype_id ?dr ?src }
    FILTER (BOUND(?dr)) }
  OPTIONAL { ?dr medkg:id ?drug }
  OPTIONAL { ?dr rdfs:label ?label }
  OPTIONAL { ?src rdfs:label ?source }
  OPTIONAL { ?src medkg:license ?license }
  """ + _TEXT_MINED_SPARQL + """
} ORDER BY DESC(?diseases) ?drug ?source""",
        {"phenotype_id": "HP:0001250"},
    ),
    Question(
        "treatments_of_disease",
        "Drugs that treat, palliate, are label-indicated or are not indicated for a disease "
        "(directly or through a cross-reference; negated statements left out)",
        """
MATCH (dr:Drug)-[r:""" + _DRUG_DISEASE_CYPHER + """]->(d:Disease)-[:XREF*0..1]-(t:Disease {id: $disease_id})
WHERE NOT r.negated
OPTIONAL MATCH (s:Source) WHERE s.name = r.source
RETURN DISTINCT dr.id AS drug, dr.label AS label, toLower(rel_type(r)) AS relation, d.id AS via, r.source AS source,
       """ + _TEXT_MINED_CYPHER + """ AS text_mined
ORDER BY drug, relation, via, source""",
        """
SELECT DISTINCT $disease_id ?drug ?label ?relation ?via ?source ?text_mined WHERE {
  ?t medkg:id $disease_id .
  ?d (medkg:xref|^medkg:xref)? ?t .
  ?a medkg:object ?d .
  ?a medkg:predicate ?pred .
  FILTER (?pred IN (""" + _DRUG_DISEASE_SPARQL + """))
  FILTER NOT EXISTS { ?a medkg:negated true }
  ?a medkg:subject ?dr .
  ?dr medkg:id ?drug .
  ?d medkg:id ?via .
  ?a medkg:source ?src .
  OPTIONAL { ?src rdfs:label ?source }
  OPTIONAL { ?src medkg:license ?license }
  OPTIONAL { ?dr rdfs:label ?label }
  BIND (STRAFTER(STR(?pred), STR(medkg:)) AS ?relation)
  """ + _TEXT_MINED_SPARQL + """
} ORDER BY ?drug ?relation ?via ?source""",
        {"disease_id": "OMIM:104300"},
    ),
    Question(
        "ancestors_of_term",
        "The ancestors of an ontology term",
        """
MATCH (t {id: $term_id})-[:SUBCLASS_OF*1..30]->(a)
RETURN DISTINCT a.id AS ancestor, a.label AS label
ORDER BY ancestor""",
        """
SELECT DISTINCT $term_id ?ancestor ?label WHERE {
  ?t medkg:id $term_id ; medkg:subclass_of+ ?a .
  ?a medkg:id ?ancestor . OPTIONAL { ?a rdfs:label ?label }
} ORDER BY ?ancestor""",
        {"term_id": "HP:0001166"},
    ),
    Question(
        "diseases_with_phenotype_or_descendant",
        "How many diseases show a phenotype or any more specific one",
        """
MATCH (d:Disease)-[h:HAS_PHENOTYPE]->(:PhenotypicFeature)-[:SUBCLASS_OF*0..30]->(t:PhenotypicFeature {id: $term_id})
WHERE NOT h.negated
RETURN count(DISTINCT d) AS diseases""",
        """
SELECT $term_id (COUNT(DISTINCT ?d) AS ?diseases) WHERE {
  OPTIONAL {  # no disease (or no such term) is a count of 0, as in Cypher, not no row
    ?t medkg:id $term_id .
    ?p medkg:subclass_of* ?t .
    ?d medkg:has_phenotype ?p .
  }
} GROUP BY $term_id""",
        {"term_id": "HP:0001166"},
    ),
    Question(
        "diseases_per_source",
        "How many diseases each source contributes",
        """
MATCH (d:Disease) UNWIND d.sources AS source
RETURN source, count(*) AS diseases ORDER BY source""",
        """
SELECT ?source ?diseases WHERE {
  ?c medkg:counted medkg:Disease ; medkg:counted_source ?src ; medkg:count ?diseases .
  FILTER EXISTS { ?c a medkg:NodeCount }
  ?src rdfs:label ?source .
} ORDER BY ?source""",
        {},
    ),
    Question(
        "statements_per_source",
        "How many statements each source makes, by relation",
        """
MATCH (s:Source) UNWIND s.statements AS c
RETURN s.name AS source, c.relation AS relation, c.n AS statements ORDER BY source, relation""",
        """
SELECT ?source ?relation ?statements WHERE {
  ?c a medkg:StatementCount ; medkg:counted_source ?src ; medkg:counted ?pred ; medkg:count ?statements .
  ?src rdfs:label ?source .
  BIND (STRAFTER(STR(?pred), STR(medkg:)) AS ?relation)
} ORDER BY ?source ?relation""",
        {},
        # Neo4j has no list-of-map property: the push stores the counts as two lists.
        {"neo4j": """
MATCH (s:Source)
UNWIND range(0, size(coalesce(s.statement_relations, [])) - 1) AS i
RETURN s.name AS source, s.statement_relations[i] AS relation, s.statement_counts[i] AS statements
ORDER BY source, relation"""},
    ),
    Question(
        "find_disease_by_name",
        "Diseases with a word of their name equal to a word (whole-word, case-insensitive)",
        r"""
WITH $word AS w WHERE w =~ '[\\p{L}\\p{N}]+'
MATCH (d:Disease)
WHERE toLower(d.label) =~ ('(?s)(.*[^\\p{L}\\p{N}])?' + w + '([^\\p{L}\\p{N}].*)?')
RETURN d.id AS disease, d.label AS label ORDER BY disease LIMIT 50""",
        """
SELECT $word ?disease ?label WHERE {
  { SELECT $word ?d ?disease WHERE {
      ?d medkg:name_word $word .
      FILTER EXISTS { ?d a medkg:Disease }
      ?d medkg:id ?disease .
    } ORDER BY ?disease LIMIT 50 }
  OPTIONAL { ?d rdfs:label ?label }
} ORDER BY ?disease""",
        {"word": "marfan"},
        lowercase=("word",),
    ),
    Question(
        "cross_references_of_disease",
        "The diseases of other vocabularies a disease is cross-referenced to, with the source that says so",
        """
MATCH (d:Disease {id: $disease_id})-[x:XREF]-(o:Disease)
RETURN o.id AS disease, o.label AS label, x.source AS source ORDER BY disease, source""",
        """
SELECT $disease_id ?disease ?label ?source WHERE {
  ?d medkg:id $disease_id .
  { ?a medkg:subject ?d . ?a medkg:object ?o } UNION { ?a medkg:object ?d . ?a medkg:subject ?o }
  FILTER EXISTS { ?a medkg:predicate medkg:xref }
  ?o medkg:id ?disease .
  ?a medkg:source ?src .
  OPTIONAL { ?src rdfs:label ?source }
  OPTIONAL { ?o rdfs:label ?label }
} ORDER BY ?disease ?source""",
        {"disease_id": "DOID:10652"},
    ),
    Question(
        "adverse_effects_of_drug",
        "Known adverse effects of a drug, most frequent first",
        """
MATCH (dr:Drug {id: $drug_id})-[r:HAS_ADVERSE_EFFECT]->(p:PhenotypicFeature)
RETURN p.id AS effect, p.label AS label, r.frequency AS frequency, r.source AS source
ORDER BY coalesce(r.frequency, -1.0) DESC, effect, source LIMIT 50""",
        """
SELECT $drug_id ?effect ?label ?frequency ?source WHERE {
  ?dr medkg:id $drug_id .
  ?a medkg:subject ?dr .
  ?a medkg:object ?p .
  FILTER EXISTS { ?a medkg:predicate medkg:has_adverse_effect }
  ?p medkg:id ?effect .
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?a medkg:frequency ?frequency }
  OPTIONAL { ?a medkg:source/rdfs:label ?source }
} ORDER BY DESC(COALESCE(?frequency, -1.0)) ?effect ?source LIMIT 50""",
        {"drug_id": "PUBCHEM:85"},
    ),
]

QUESTIONS: dict[str, Question] = {q.name: q for q in _Q}
"""Every analyst question by name."""
