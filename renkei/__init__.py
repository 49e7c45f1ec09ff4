"""renkei (連携): open software for Japan's regional bio-communities."""

__version__ = "0.1.0"
