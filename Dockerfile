# Rivulet on the official Open Liberty image: kernel-slim with Java 17, grown by features.sh to
# exactly the features server.xml names, then configure.sh (configuration applied, class cache warmed).
#
#   mvn package                  # target/rivulet.war
#   docker build -t rivulet .
#   docker run -p 9080:9080 --stop-timeout 30 -e RIVULET_JWT_SECRET="$(openssl rand -base64 48)" rivulet
#
# Set a key (RIVULET_JWT_SECRET, or RIVULET_JWT_PUBLIC_KEY naming a mounted PEM file): without one
# the hub verifies tokens with the development secret from the README (SECURITY.md).
#
# Every rivulet.* key is an environment variable (RIVULET_CONNECTIONS_MAX, RIVULET_SHUTDOWN_GRACE, ...);
# see the configuration table in README.md.
ARG LIBERTY_IMAGE=icr.io/appcafe/open-liberty:26.0.0.3-kernel-slim-java17-openj9-ubi
FROM ${LIBERTY_IMAGE}

# Configuration first, in its own layer: features.sh installs what it lists.
COPY --chown=1001:0 src/main/liberty/config/server.xml /config/
RUN features.sh

# server.xml deploys apps/rivulet.war at the context root.
COPY --chown=1001:0 target/rivulet.war /config/apps/
RUN configure.sh

# Logs: JSON on the console for a log collector (WLP_LOGGING_CONSOLE_FORMAT=SIMPLE for plain text);
# ACCESS_LOG_ENABLED=true adds the HTTP access log, which then goes to the console too.
ENV WLP_LOGGING_CONSOLE_FORMAT=JSON \
    WLP_LOGGING_CONSOLE_SOURCE=message,accessLog,ffdc,audit \
    ACCESS_LOG_ENABLED=false

EXPOSE 9080

# Ready means: started, not draining, broker (and database) reachable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://localhost:9080/health/ready || exit 1

# The base image's entry point execs "server run defaultServer": the JVM gets docker stop's
# SIGTERM, and Rivulet drains within rivulet.shutdown.grace (give docker stop a longer timeout).
