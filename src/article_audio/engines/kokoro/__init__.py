"""Kokoro-82M voices."""
