from article_audio.cli import main

main()
