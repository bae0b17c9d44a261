"""Rewrites of Piper's ONNX model, made once per voice and saved."""
