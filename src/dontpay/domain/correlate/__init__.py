"""Linking and clustering of reports by the indicators they share.

Reports are linked by exact shared indicators only, and clusters are the connected components
of those links; near-duplicate scripts and profile photos are scored separately and never
merged into clusters, so one false match cannot join two gangs' victims.
"""

from .components import components, linked_reports
from .explanation import (
    PROFILE_PHOTO,
    SCRIPT,
    ClusterExplanation,
    ClusterReport,
    EmptyCluster,
    FuzzyLink,
    IndicatorRow,
    MoneyRow,
    RelatedReport,
    SharedIndicator,
    explain,
)
from .pairwise import pairwise_rows, pairwise_table
from .photos import SAME_PHOTO_DISTANCE, pdq_bits, pdq_distances
from .scripts import NEAR_DUPLICATE, band_buckets, minhash, similarity
from .warninglist import DOMAIN, DOMAIN_TYPES, EXACT, Warninglist, WarninglistRule, domain_of

__all__ = [
    "DOMAIN",
    "DOMAIN_TYPES",
    "EXACT",
    "NEAR_DUPLICATE",
    "PROFILE_PHOTO",
    "SAME_PHOTO_DISTANCE",
    "SCRIPT",
    "ClusterExplanation",
    "ClusterReport",
    "EmptyCluster",
    "FuzzyLink",
    "IndicatorRow",
    "MoneyRow",
    "RelatedReport",
    "SharedIndicator",
    "Warninglist",
    "WarninglistRule",
    "band_buckets",
    "components",
    "domain_of",
    "explain",
    "linked_reports",
    "minhash",
    "pairwise_rows",
    "pairwise_table",
    "pdq_bits",
    "pdq_distances",
    "similarity",
]
