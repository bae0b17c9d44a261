"""The whole jobs a user asks for: render, batch, feed."""
