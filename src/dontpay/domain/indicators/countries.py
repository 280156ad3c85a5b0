"""Country names for enrichment, from pycountry's copy of ISO 3166 (shipped, never fetched)."""

from functools import lru_cache

import pycountry


@lru_cache(maxsize=512)
def country_label(code: str) -> str:
    """'United Kingdom (GB)' for 'GB'; the code alone if ISO 3166 does not name it (libphonenumber
    uses '001' for non-geographic numbers)."""
    country = pycountry.countries.get(alpha_2=code.upper())
    return f"{country.name} ({code.upper()})" if country else code.upper()
