"""Who may do what: every permission check in the product reads this one table."""

CASEWORKER = "caseworker"
ANALYST = "analyst"
ADMIN = "admin"
ROLES = ((CASEWORKER, "Caseworker"), (ANALYST, "Analyst"), (ADMIN, "Administrator"))

#: Permission name → the roles that have it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "cases.view": frozenset({CASEWORKER, ADMIN}),
    "cases.change": frozenset({CASEWORKER, ADMIN}),
    "evidence.view": frozenset({CASEWORKER, ADMIN}),
    "stats.view": frozenset({ANALYST, CASEWORKER, ADMIN}),
    "audit.view": frozenset({ADMIN}),
    "intel.view": frozenset({ANALYST, ADMIN}),
    "intel.export": frozenset({ANALYST, ADMIN}),
    # The referral pack holds what each author sent of their record, not only indicators.
    "intel.refer": frozenset({ANALYST, ADMIN}),
    "warninglist.view": frozenset({ANALYST, ADMIN}),
    "warninglist.change": frozenset({ADMIN}),
    "intel.recluster": frozenset({ADMIN}),
    "bank.view": frozenset({ADMIN}),
    "bank.change": frozenset({ADMIN}),
}


#: Where each role lands after signing in.
HOME = {CASEWORKER: "/staff/", ANALYST: "/staff/statistics/", ADMIN: "/staff/"}


def role_may(role: str, permission: str) -> bool:
    """Whether a staff member with `role` has `permission` (unknown permissions: nobody)."""
    return role in PERMISSIONS.get(permission, frozenset())
