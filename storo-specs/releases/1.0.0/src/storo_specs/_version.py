# The contract release this package carries (frozen by make release).
VERSION = "1.0.0"
