"""The fleet benchmark: Storo's figures beside this machine's own limits, in one run."""
