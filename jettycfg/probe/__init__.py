"""probe: ask a running Jetty / JOC Cockpit what it really does with client certificates."""
