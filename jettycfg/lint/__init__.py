"""lint: findings about a JETTY_BASE and its client certificates, with rule codes."""
