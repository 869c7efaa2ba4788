#
# WebApp Support Module
#

[depend]
servlet
security

[lib]
lib/jetty-webapp-${jetty.version}.jar
