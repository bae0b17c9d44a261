"""What is kept between runs: the sentence cache and its keys."""
