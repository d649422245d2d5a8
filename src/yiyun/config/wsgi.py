"""WSGI entry point (granian in production for HTTP)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiyun.config.settings")
_django = get_wsgi_application()

from yiyun.booking.hotpath import wrap  # noqa: E402 - needs the app registry that the line above sets up

# The booking call of the flash crowd bypasses Django's request cycle (docs/adr/0001-booking-hot-path.md).
application = wrap(_django)

# Everything loaded so far (Django, the apps, the triage knowledge base) lives as long as the worker: move it out of
# the collector's generations so collections only walk what requests allocate.
gc.collect()
gc.freeze()
