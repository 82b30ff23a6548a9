"""The chart of accounts, account rows and their running balances."""
