"""medkg reasoning: differential diagnosis and treatments over the knowledge graph.

The public API: :func:`diagnose`, :func:`treat`, cases from HPO ids, phenopackets or text.
"""

from reasoning.cases import Case, case_from_hpo, load_phenopacket, parse_phenopacket
from reasoning.diagnose import diagnose, load_index
from reasoning.models import Candidate, Differential, Evidence
from reasoning.params import ScoringParams
from reasoning.text_case import case_from_text
from reasoning.treatments import TreatmentPlan, treat

__all__ = [
    "Candidate",
    "Case",
    "Differential",
    "Evidence",
    "ScoringParams",
    "case_from_hpo",
    "case_from_text",
    "diagnose",
    "load_index",
    "load_phenopacket",
    "parse_phenopacket",
    "TreatmentPlan",
    "treat",
]
