"""storo-gw-usdc: the USDC-on-Algorand rail gateway."""

__version__ = "1.0.0"
SERVICE = "storo-gw-usdc"
SCHEMA = "gw_usdc"
RAIL = "usdc"
