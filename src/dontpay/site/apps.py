from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself: settings, URLs and the `dontpay` command's management commands."""

    name = "dontpay.site"
    label = "dontpay_site"
