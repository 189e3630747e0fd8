"""powcount: every POW/MIA figure with its evidence, reconciled."""

__version__ = "0.1.0"
