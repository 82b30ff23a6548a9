# The contract release this package carries. `make release` writes the released
# number into the frozen copy; the working tree names the next release in progress.
VERSION = "1.2.0.dev0"
