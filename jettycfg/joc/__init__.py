"""What JS7 JOC Cockpit does with a client certificate after Jetty accepted it (its login
check), and the JOC accounts a certificate must match. Read from JOC's public sources:
sos-berlin/sos-components, sos-webservices-joc-global, package com.sos.auth."""
