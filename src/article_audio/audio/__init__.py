"""The audio stages: synthesis, assembly, loudness and encoding."""
