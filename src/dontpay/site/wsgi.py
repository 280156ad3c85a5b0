"""The WSGI application that `dontpay serve` runs."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
application = get_wsgi_application()
