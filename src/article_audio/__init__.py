"""article-audio: turn a news article into a narrated, chaptered MP3, offline."""
