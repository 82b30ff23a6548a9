"""False-positive rule-outs with four-eyes approval."""
