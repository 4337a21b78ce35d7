# Rivulet on Eclipse Temurin 25 (HotSpot): the server that `mvn package` builds as the runnable
# target/rivulet.jar (Open Liberty with only the features server.xml names), unpacked at build time
# so the container starts it directly with Liberty's own `server run`.
#
#   mvn package                  # target/rivulet.jar
#   docker build -t rivulet .
#   docker run -p 9080:9080 --stop-timeout 30 -e RIVULET_JWT_SECRET="$(openssl rand -base64 48)" rivulet
#
# Why Temurin 25: every connection writes on a virtual thread, and a write to a client that stopped
# reading waits in Object.wait inside Liberty. Since JDK 24 (JEP 491) HotSpot unmounts a virtual
# thread blocked there from its carrier; on an older JVM, or one that pins it, a stalled client
# holds a carrier thread and a few of them stop the node. Temurin 25 is the JDK Rivulet is built,
# tested and measured on (bench/README.md), so the image runs exactly that.
#
# Set a key (RIVULET_JWT_SECRET, or RIVULET_JWT_PUBLIC_KEY naming a mounted PEM file): without one
# the hub verifies tokens with the development secret from the README (SECURITY.md).
#
# Every rivulet.* key is an environment variable (RIVULET_CONNECTIONS_MAX, RIVULET_SHUTDOWN_GRACE, ...);
# see the configuration table in docs/configuration.md.
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre

FROM ${JDK_IMAGE} AS server
COPY target/rivulet.jar /tmp/rivulet.jar
# The runnable jar holds the Liberty installation under wlp/ (the server is wlp/usr/servers/rivulet).
RUN mkdir /opt/rivulet && cd /opt/rivulet && jar xf /tmp/rivulet.jar wlp \
    && chmod +x wlp/bin/server wlp/bin/tools/*.jar

FROM ${JRE_IMAGE}
# curl for the health check.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=server --chown=1001:0 /opt/rivulet/wlp /opt/wlp
# The server's output (logs, the H2 database of the log store) is written under its folder.
RUN chmod -R g+w /opt/wlp/usr/servers/rivulet
USER 1001

# Logs: JSON on the console for a log collector (WLP_LOGGING_CONSOLE_FORMAT=SIMPLE for plain text);
# ACCESS_LOG_ENABLED=true adds the HTTP access log, which then goes to the console too.
ENV WLP_LOGGING_CONSOLE_FORMAT=JSON \
    WLP_LOGGING_CONSOLE_SOURCE=message,accessLog,ffdc,audit \
    ACCESS_LOG_ENABLED=false

EXPOSE 9080

# Ready means: started, not draining, broker (and database) reachable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://localhost:9080/health/ready || exit 1

# `server run` keeps the JVM in the foreground, so it gets docker stop's SIGTERM and Rivulet drains
# within rivulet.shutdown.grace (give docker stop a longer timeout).
CMD ["/opt/wlp/bin/server", "run", "rivulet"]
