#
# Jetty Security Module
#

[depend]
server

[lib]
lib/jetty-security-${jetty.version}.jar
