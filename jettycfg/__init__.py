"""jettycfg: configure and lint mutual-TLS setups of Jetty as used by JS7 JOC Cockpit.

The package is usable as a library: the core modules never print, never exit and never import
click. The command line lives in :mod:`jettycfg.cli`.
"""

__version__ = "0.1.0"
