"""crisisplan: write, check and publish crisis-management plans."""

__version__ = "0.1.0"
