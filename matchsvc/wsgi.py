"""WSGI entry point for gunicorn: ``gunicorn matchsvc.wsgi:application``."""

from matchsvc.app import make_app
from matchsvc.settings import from_env

application = make_app(from_env())
