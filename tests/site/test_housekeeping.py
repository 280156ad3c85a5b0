"""Housekeeping forgets guessing attempts once they no longer count towards a throttle."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dontpay.accounts.models import SignInAttempt
from dontpay.bank.models import PinAttempt
from dontpay.cases.models import PassphraseAttempt
from dontpay.site.housekeeping import tidy_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_old_attempts_are_forgotten_and_recent_ones_kept() -> None:
    kinds = (
        (PassphraseAttempt, "reference"),
        (PinAttempt, "case_number"),
        (SignInAttempt, "username"),
    )
    for model, field in kinds:
        old = model.objects.create(**{field: "OLD", "client": "c"})
        model.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=2))
        model.objects.create(**{field: "NEW", "client": "c"})
    tidy_up()
    assert list(PassphraseAttempt.objects.values_list("reference", flat=True)) == ["NEW"]
    assert list(PinAttempt.objects.values_list("case_number", flat=True)) == ["NEW"]
    assert list(SignInAttempt.objects.values_list("username", flat=True)) == ["NEW"]
