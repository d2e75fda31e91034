package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfiles cannot be built here (no Docker engine); these checks keep them consistent with
 * the chart: base images, where the jar goes, the user the pods run as, the port, the main class.
 */
class DockerfilesTest {
    private static final JsonNode VALUES = Manifests.yaml(Repo.read(Repo.CHART.resolve("values.yaml")));

    private static String argDefault(String dockerfile, String arg) {
        Matcher m = Pattern.compile("(?m)^ARG " + arg + "=(\\S+)$").matcher(dockerfile);
        assertThat(m.find()).as("ARG " + arg).isTrue();
        return m.group(1);
    }

    private static List<String> lines(String dockerfile, String instruction) {
        return dockerfile.lines().filter(l -> l.startsWith(instruction + " ")).toList();
    }

    @Test
    void theJobImageExtendsFlinkAndHoldsTheJarWhereTheChartLooks() {
        String df = Repo.read(Repo.ROOT.resolve("docker/job.Dockerfile"));
        assertThat(argDefault(df, "FLINK_IMAGE")).isEqualTo("flink:2.2.1-java17");
        assertThat(lines(df, "FROM")).containsExactly("FROM ${FLINK_IMAGE}");
        String jarPath = VALUES.path("job").path("jarURI").asText().replaceFirst("^local://", "");
        assertThat(lines(df, "COPY")).anySatisfy(l -> assertThat(l).endsWith(" " + jarPath));
        assertThat(lines(df, "USER")).last().isEqualTo("USER " + VALUES.path("job").path("podSecurityContext").path("runAsUser").asInt()
                + ":" + VALUES.path("job").path("podSecurityContext").path("runAsGroup").asInt());
        assertThat(df).contains("NOT BUILT HERE");
        assertThat(Files.isRegularFile(Repo.ROOT.resolve("docker/job.Dockerfile.dockerignore"))).isTrue();
    }

    @Test
    void theJobImageCopiesTheShadedJobJarThatFlinkJobsBuilds() {
        String df = Repo.read(Repo.ROOT.resolve("docker/job.Dockerfile"));
        String jobJar = Repo.ROOT.relativize(Repo.JOB_JAR.toAbsolutePath().normalize()).toString();
        assertThat(jobJar).matches("flink-jobs/target/gridtier-flink-jobs-.+-shaded\\.jar");
        assertThat(argDefault(df, "JOB_JAR")).isEqualTo(jobJar);
        assertThat(lines(df, "COPY")).anySatisfy(l -> assertThat(l).contains(" ${JOB_JAR} "));
        // the build context lets that jar through
        List<String> ignore = Repo.read(Repo.ROOT.resolve("docker/job.Dockerfile.dockerignore")).lines()
                .filter(l -> l.startsWith("!")).toList();
        assertThat(ignore).anySatisfy(l -> assertThat(java.nio.file.FileSystems.getDefault()
                .getPathMatcher("glob:" + l.substring(1)).matches(Path.of(jobJar))).isTrue());
    }

    @Test
    void theServiceImageRunsTheServiceOnATemurin17JreAsANonRootUser() {
        String df = Repo.read(Repo.ROOT.resolve("docker/tier-service.Dockerfile"));
        assertThat(argDefault(df, "JRE_IMAGE")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(lines(df, "FROM")).last().isEqualTo("FROM ${JRE_IMAGE}");
        JsonNode pod = VALUES.path("tierService").path("podSecurityContext");
        assertThat(lines(df, "USER")).last().isEqualTo("USER " + pod.path("runAsUser").asInt() + ":" + pod.path("runAsGroup").asInt());
        assertThat(pod.path("runAsUser").asInt()).isNotZero();
        assertThat(lines(df, "EXPOSE")).containsExactly("EXPOSE " + VALUES.path("tierService").path("port").asInt());
        assertThat(df).contains("\"io.gridtier.tierservice.TierService\"");
        assertThat(Files.isRegularFile(Repo.ROOT.resolve("tier-service/src/main/java/io/gridtier/tierservice/TierService.java")))
                .as("the image's main class exists").isTrue();
        assertThat(df).contains("NOT BUILT HERE");
    }
}
