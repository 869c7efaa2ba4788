"""Rule families, one module each: ini syntax (JC1xx), client auth and Jetty settings (JC2xx),
stores (JC3xx), trust and client certificates (JC4xx)."""
