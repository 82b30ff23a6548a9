"""Fee quotes, routing and settlement windows from storo-directory."""
