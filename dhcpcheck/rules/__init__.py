"""The rule engine: rules, their registry and configuration, and the engine."""
