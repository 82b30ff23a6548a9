"""The transfer domain: intake, state machine, timeline and rail events."""
