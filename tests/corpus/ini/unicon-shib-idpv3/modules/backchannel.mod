[name]
backchannel
 
[depend]
server
 
[xml]
etc/jetty-backchannel.xml
