"""What Java's TLS stack (SunJSSE, PKIX) decides about a client certificate chain."""
