"""A simulator of the subset of algod's v2 REST API that the gateway uses.

It is a simulator of the rail, not of the gateway: it knows accounts, assets,
opt-ins, a transaction pool and rounds, and nothing of Storo's events.
"""
