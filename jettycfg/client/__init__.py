"""The client half of certificate login: a key and certificate per JOC account (CA-signed or
self-signed), CSRs for an organisation's own CA, and the bundles browsers, the Windows store and
the JS7 PowerShell module import - each checked against the base it is meant for."""
