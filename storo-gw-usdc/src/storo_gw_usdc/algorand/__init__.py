"""Everything Algorand: keys, the asset transfer, and the algod client."""
