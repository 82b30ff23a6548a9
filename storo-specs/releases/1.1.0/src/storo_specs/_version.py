# The contract release this package carries (frozen by make release).
VERSION = "1.1.0"
