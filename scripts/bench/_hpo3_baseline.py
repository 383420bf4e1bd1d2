"""Phenomizer-style baseline, run in an environment that has ``hpo3`` (not ``pyhpo``).

    python _hpo3_baseline.py CASES.json OUT.json HPO_DATA_DIR

CASES.json: ``[{"name", "present": [HP ids], "diagnosis": "OMIM:n"}]``. For each case,
hpo3's set similarity (information-content "graphic" similarity, funSimAvg) of the
present terms against every OMIM disease of the HPO release in HPO_DATA_DIR
(``hp.obo`` + ``phenotype.hpoa``). Writes ``{"ranks": {name: rank or null}, "ms": [...],
"release": ...}``; rank is 1 + the number of diseases scoring strictly higher
(ties in the case's favour, as in medkg's benchmark); null when the release lacks the diagnosis.
"""

import json
import sys
import time

from pyhpo import HPOSet, Ontology, helper

cases_file, out_file, data_dir = sys.argv[1:4]
Ontology(data_dir)
diseases = list(Ontology.omim_diseases)
ids = {d.id: i for i, d in enumerate(diseases)}
sets = [HPOSet.from_omim_disease(d) for d in diseases]
ranks, ms = {}, []
for case in json.load(open(cases_file)):
    oid = int(case["diagnosis"].split(":")[1])
    terms = []
    for t in case["present"]:
        try:
            Ontology.get_hpo_object(t)
            terms.append(t)
        except Exception:  # a term this release lacks
            pass
    t0 = time.perf_counter()
    scores = helper.batch_set_similarity(
        [(HPOSet.from_queries(terms), s) for s in sets], kind="omim", method="graphic", combine="funSimAvg"
    ) if terms else [0.0] * len(sets)
    ms.append((time.perf_counter() - t0) * 1000)
    if oid not in ids:
        ranks[case["name"]] = None
        continue
    best = scores[ids[oid]]
    ranks[case["name"]] = 1 + sum(1 for x in scores if x > best)
json.dump({"ranks": ranks, "ms": ms, "omim_diseases": len(diseases)}, open(out_file, "w"))
