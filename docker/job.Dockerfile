# syntax=docker/dockerfile:1
#
# The GridTier segmentation job, as the image the Flink Kubernetes Operator runs in application
# mode (helm/gridtier: job.jarURI = local:///opt/flink/usrlib/gridtier-flink-jobs.jar).
#
# NOT BUILT HERE: the development machine has no Docker engine, so this file has never been built
# or run. Build it where Docker (BuildKit) is available, from the repository root:
#
#   mvn -B -pl flink-jobs -am package -DskipTests        # produces the shaded job jar
#   docker build -f docker/job.Dockerfile -t registry.example.com/gridtier/flink-job:0.1.0 .
#
# JOB_JAR must be the SHADED jar, flink-jobs/target/gridtier-flink-jobs-<version>-shaded.jar (the
# maven-shade-plugin's attached artifact, about 23 MB), NOT the plain gridtier-flink-jobs-<version>.jar
# beside it, which holds GridTier's classes only. The shaded jar holds everything the Flink
# distribution lacks (GridTier and its schemas, flink-connector-kafka, kafka-clients with zstd-jni,
# flink-avro, Avro, Jackson with its YAML and Java-time modules, SnakeYAML) and none of what the image
# provides (Flink's runtime and RocksDB in lib/flink-dist, flink-connector-base in
# lib/flink-connector-files, log4j/slf4j in lib/, the Prometheus reporter in plugins/); its manifest
# names io.gridtier.kafka.KafkaJob. ops-tests/ShadedJobJarIT checks all of this and runs the jar on
# Flink's class path. Pass --build-arg JOB_JAR=... only for another version's jar.

ARG FLINK_IMAGE=flink:2.2.1-java17
FROM ${FLINK_IMAGE}

ARG JOB_JAR=flink-jobs/target/gridtier-flink-jobs-0.1.0-SNAPSHOT-shaded.jar
# Filesystem plugins for the checkpoint, savepoint and HA URIs (names of /opt/flink/opt/flink-<name>-*.jar):
# s3-fs-presto (s3://, recommended for checkpoints), s3-fs-hadoop, gs-fs-hadoop, azure-fs-hadoop, oss-fs-hadoop.
ARG FS_PLUGINS="s3-fs-presto"

# Plugins are installed at build time: with readOnlyRootFilesystem the entrypoint cannot link them
# at start (ENABLE_BUILT_IN_PLUGINS). The Prometheus reporter ships in plugins/ in the official
# image; it is copied from opt/ only if a base image lacks it.
RUN set -eux; \
    for name in ${FS_PLUGINS}; do \
      mkdir -p "/opt/flink/plugins/${name}"; \
      cp /opt/flink/opt/flink-${name}-*.jar "/opt/flink/plugins/${name}/"; \
    done; \
    if ! ls /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-*.jar >/dev/null 2>&1; then \
      mkdir -p /opt/flink/plugins/metrics-prometheus; \
      cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/; \
    fi

COPY --chown=9999:9999 ${JOB_JAR} /opt/flink/usrlib/gridtier-flink-jobs.jar

# The official image's flink user (uid/gid 9999), numeric so that runAsNonRoot can verify it.
USER 9999:9999
