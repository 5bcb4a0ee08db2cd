"""Nollvision: an open platform for regional action plans against men's violence against women."""

__version__ = "0.1.0"
