"""`dontpay bank …`: tokens, adding and withdrawing hashes, and bank files."""

import io
import json
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from django.core.management import call_command

from dontpay.bank.models import BankEntry, PlatformToken, Submission
from dontpay.bank.tokens import authenticate

from ..testdata import PDQ_REFERENCE as TESTDATA
from .conftest import OTHER, PHOTO

pytestmark = pytest.mark.django_db

BRIDGE = TESTDATA / "bridge-mods--aaa-orig.jpg"
BRIDGE_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


Run = Callable[..., tuple[str, str, int]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the command in this process: (stdout, stderr, exit status)."""

    def run_command(*args: str) -> tuple[str, str, int]:
        out = io.StringIO()
        capsys.readouterr()
        try:
            call_command("bank", *args, stdout=out)
            code = 0
        except SystemExit as stop:
            code = int(stop.code or 0)
        return out.getvalue(), capsys.readouterr().err, code

    return run_command


def noise_video(path: Path, seconds: int = 3) -> Path:
    """A small MP4 of random frames, each one with plenty of detail."""
    randomness = np.random.default_rng(7)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 128, 128, "yuv420p"
        for _ in range(5 * seconds):
            pixels = randomness.integers(0, 256, (16, 16, 3), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels.repeat(8, 0).repeat(8, 1), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def test_token_create_list_and_revoke(run: Run) -> None:
    out, _, code = run("token", "create", "--name", "Example", "--scope", "match", "--json")
    assert code == 0
    created = json.loads(out)
    assert created["scopes"] == ["match"]
    secret = created["token"]
    assert secret.startswith(created["prefix"] + "_")
    token = PlatformToken.objects.get()
    assert secret not in (token.digest, token.prefix)
    assert authenticate(secret) == token

    out, _, _ = run("token", "list", "--json")
    assert [t["prefix"] for t in json.loads(out)] == [created["prefix"]]
    assert "token" not in json.loads(out)[0]

    out, _, code = run("token", "revoke", created["prefix"])
    assert code == 0
    assert authenticate(secret) is None
    _, err, code = run("token", "revoke", created["prefix"])
    assert code == 2
    assert err.count("\n") == 1


def test_token_create_prints_the_token_once_in_plain_text(run: Run) -> None:
    out, _, code = run(
        "token", "create", "--name", "Example", "--scope", "match", "--scope", "bank"
    )
    assert code == 0
    assert "(match, bank)" in out
    assert authenticate(out.splitlines()[1]) is not None


def test_add_an_image_then_withdraw_it_with_the_pin(run: Run) -> None:
    out, _, code = run("add", str(BRIDGE), "--json")
    assert code == 0
    added = json.loads(out)
    entry = BankEntry.objects.get()
    assert (entry.signal_type, entry.value, entry.live) == ("pdq", BRIDGE_PDQ, True)
    assert Submission.objects.get().source == "cli"

    _, err, code = run("withdraw", added["case_number"], "--pin", "00000000")
    assert code == 2
    assert "no submission with this case number and PIN" in err
    out, _, code = run("withdraw", added["case_number"], "--pin", added["pin"])
    assert code == 0
    assert "is withdrawn" in out
    assert not BankEntry.objects.get().live


def test_add_a_video_as_vpdq(run: Run, tmp_path: Path) -> None:
    _, _, code = run("add", str(noise_video(tmp_path / "clip.mp4")))
    assert code == 0
    entry = BankEntry.objects.get()
    assert entry.signal_type == "vpdq"
    assert len(entry.value.splitlines()) == 3


def test_add_hashes(run: Run) -> None:
    out, _, code = run("add", "--hash", PHOTO, OTHER)
    assert code == 0
    assert "Case number: " in out
    assert "PIN: " in out
    assert BankEntry.objects.filter(live=True).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add"], "give either image or video files, or --hash"),
        (["add", "--hash", "abc"], "PDQ hash has 3 characters"),
        (["add", "--hash", PHOTO, "--quality", "20"], "too little detail"),
        (["add", "/no/such/file.jpg"], "/no/such/file.jpg: cannot read"),
        (["add", str(TESTDATA / "LICENSE-ThreatExchange")], "not an image or video we can hash"),
        (["import", "/no/such/file"], "file: cannot read /no/such/file"),
        (["token", "create", "--name", " ", "--scope", "match"], "a token needs a name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Run, args: list[str], message: str) -> None:
    _, err, code = run(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_export_then_import(run: Run, tmp_path: Path) -> None:
    run("add", "--hash", PHOTO, OTHER)
    out, _, code = run("export", str(tmp_path / "bank.te"))
    assert code == 0
    assert "Wrote 2 signal(s)" in out
    assert (tmp_path / "bank.te").read_text() == f"pdq {PHOTO}\npdq {OTHER}\n"

    (tmp_path / "bad.te").write_text("pdq nothex\n")
    _, err, code = run("import", str(tmp_path / "bad.te"))
    assert code == 2
    assert "line 1: PDQ hash has 6 characters" in err

    out, _, code = run("import", str(tmp_path / "bank.te"), "--json")
    assert code == 0
    assert json.loads(out)["imported"] == 2
    assert Submission.objects.filter(source="import").count() == 1
    assert BankEntry.objects.count() == 2
