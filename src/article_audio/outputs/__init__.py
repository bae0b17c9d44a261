"""Files written beside the audio: transcripts, chapters, the read-along player."""
