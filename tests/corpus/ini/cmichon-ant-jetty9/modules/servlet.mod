#
# Jetty Servlet Module
#

[depend]
server

[lib]
lib/jetty-servlet-${jetty.version}.jar
