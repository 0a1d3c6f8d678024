"""Development server: ``python3 run.py`` (use Gunicorn, ``bash run.sh``, in production)."""

from app import create_app
from id_card_scan.settings import load_settings

if __name__ == "__main__":
    settings = load_settings()
    create_app(settings).run(host=settings.HOST, port=settings.PORT, debug=settings.DEBUG)
