# syntax=docker/dockerfile:1
#
# The GridTier tier-service (agents' lookups, materialised view of customer-segments and
# segment-alerts), on an Eclipse Temurin 17 JRE, running as a non-root user.
#
# NOT BUILT HERE: the development machine has no Docker engine, so this file has never been built
# or run. Build it where Docker (BuildKit) is available, from the repository root:
#
#   docker build -f docker/tier-service.Dockerfile -t registry.example.com/gridtier/tier-service:0.1.0 .
#
# The first stage builds the module with Maven (tests are run by CI, not here) and collects its
# runtime dependencies; the second holds only the JRE, the jars and an unprivileged user.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
# The whole reactor: Maven needs every module's pom listed in the root pom.
COPY . .
# One reactor run, so that the schemas module resolves from the reactor (it is not published).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl tier-service -am -Dmaven.test.skip=true \
        package dependency:copy-dependencies -DincludeScope=runtime \
    && mkdir -p /out/lib \
    && cp tier-service/target/dependency/*.jar tier-service/target/gridtier-tier-service-*.jar /out/lib/

FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 gridtier \
    && useradd --system --uid 10001 --gid gridtier --home-dir /opt/tier-service --shell /usr/sbin/nologin gridtier \
    && mkdir -p /var/lib/tier-service \
    && chown 10001:10001 /var/lib/tier-service
COPY --from=build /out/lib/ /opt/tier-service/lib/

# Writable paths at run time: /var/lib/tier-service (the store) and /tmp (RocksDB's native library);
# the chart mounts emptyDirs there and keeps the root filesystem read-only.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -Djava.io.tmpdir=/tmp"
USER 10001:10001
WORKDIR /opt/tier-service
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/opt/tier-service/lib/*", "io.gridtier.tierservice.TierService"]
CMD ["run", "--bind", "0.0.0.0", "--port", "8080", "--store", "/var/lib/tier-service/store"]
