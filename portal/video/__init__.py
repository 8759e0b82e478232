"""Cuts through Mux: uploads, the signed reports Mux sends about them, and signed playback."""
