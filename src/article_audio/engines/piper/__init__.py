"""Piper, the neural voice: the engine and its model store."""
