"""The ``/id_card_scan`` blueprint of SPEC."""

from app.api.id_card_scan.routes import blueprint

__all__ = ["blueprint"]
