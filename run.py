"""Development server: ``python3 run.py`` (use Gunicorn, ``bash run.sh``, in production)."""

import sys

from app import create_app
from id_card_scan.settings import SettingsError, load_settings

if __name__ == "__main__":
    try:
        settings = load_settings()
    except SettingsError as error:
        sys.exit(f"id-card-scan: {error}")
    create_app(settings).run(host=settings.HOST, port=settings.PORT, debug=settings.DEBUG)
