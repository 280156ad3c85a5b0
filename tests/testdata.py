"""Where the project's shared reference data lives. It is read in place, never copied into the
repository: beside the checkout (`../shared/testdata`) or wherever `DONTPAY_TESTDATA` says.
A missing directory fails the test run loudly rather than leaving tests uncollected."""

import os
from pathlib import Path

_REPOSITORY = Path(__file__).resolve().parents[1]


def _testdata() -> Path:
    configured = os.environ.get("DONTPAY_TESTDATA")
    candidates = (
        [Path(configured)]
        if configured
        else [_REPOSITORY.parent / "shared" / "testdata", Path("/work/shared/testdata")]
    )
    for candidate in candidates:
        if (candidate / "pdq-reference").is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise RuntimeError(f"the shared reference data is not in {looked}; set DONTPAY_TESTDATA")


#: The PDQ reference images (see its README.md).
PDQ_REFERENCE = _testdata() / "pdq-reference"
