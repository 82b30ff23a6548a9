# The contract release this package carries. `make release` writes the released
# number into the frozen copy; the working tree names the next release in progress.
VERSION = "1.1.0.dev0"
