"""Every sentence the stop-the-spread page's script shows, in the page's language.

The script runs in the browser and has no catalogue of its own: the page carries these words
as JSON (``protect-words``), with ``{placeholders}`` the script fills in. Counts are given as
"label: number" so no language needs plural forms here.
"""

from django.utils.translation import gettext as _


def protect_words() -> dict[str, str]:
    """The script's words, keyed by what it uses them for."""
    return {
        "file": _("File"),
        "fingerprint": _("Fingerprint"),
        "result": _("Result"),
        "ready": _("Ready to send"),
        "not_sent": _("Not sent"),
        "too_little_detail": _(
            "There is too little detail in it (for example, it is very dark, blurred or mostly "
            "one colour), so copies could not be recognised reliably."
        ),
        "no_clear_frames": _(
            "None of its frames has enough detail (for example, they are very dark or blurred), "
            "so copies could not be recognised reliably."
        ),
        "video_frames": _("Video frames: {count}"),
        "making": _("Making fingerprint {number} of {count}…"),
        "making_frame": _(
            "Making fingerprint {number} of {count}: frame {done} of {total} of this video…"
        ),
        "unplayable": _("This browser cannot play this video format."),
        "too_many": _(
            "These fingerprints are too many to send at once. Choose fewer files, or shorter "
            "videos, and send the rest afterwards."
        ),
        "ready_count": _("Fingerprints ready: {count}. Check them below, then send."),
        "none_made": _("No fingerprints could be made from these files."),
    }
