"""Production mode refuses demo secrets; the demo works with none."""

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); print('started')"


def start(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DONTPAY_MODE"}}
    env |= {"DJANGO_SETTINGS_MODULE": "dontpay.site.settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_demo_starts_without_configuration() -> None:
    assert start().stdout.strip() == "started"


@pytest.mark.parametrize(
    ("environment", "reason"),
    [
        ({"DONTPAY_ALLOWED_HOSTS": "help.example.org"}, "demo secret key"),
        (
            {
                "SECRET_KEY": "dontpay-demo-key-not-secret-do-not-use-in-production",
                "DONTPAY_ALLOWED_HOSTS": "help.example.org",
            },
            "demo secret key",
        ),
        ({"SECRET_KEY": "short", "DONTPAY_ALLOWED_HOSTS": "help.example.org"}, "at least 32"),
        ({"SECRET_KEY": "x" * 50}, "DONTPAY_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_demo_secrets(environment: dict[str, str], reason: str) -> None:
    result = start(DONTPAY_MODE="production", **environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert reason in result.stderr


def test_production_starts_with_real_settings() -> None:
    result = start(
        DONTPAY_MODE="production", SECRET_KEY="k" * 50, DONTPAY_ALLOWED_HOSTS="help.example.org"
    )
    assert result.stdout.strip() == "started", result.stderr


def test_unknown_mode_is_refused() -> None:
    result = start(DONTPAY_MODE="staging")
    assert "DONTPAY_MODE must be 'demo' or 'production'" in result.stderr
