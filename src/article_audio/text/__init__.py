"""The text stages: an article read, cleaned and structured into the narration script."""
