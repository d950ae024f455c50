import os

from django.core.wsgi import get_wsgi_application

from config.memory import settle_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
settle_startup_objects()
