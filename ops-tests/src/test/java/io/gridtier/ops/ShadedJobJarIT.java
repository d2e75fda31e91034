package io.gridtier.ops;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar flink-jobs builds for the Flink cluster (docker/job.Dockerfile copies it to
 * /opt/flink/usrlib/gridtier-flink-jobs.jar): what it holds and leaves out, and that it runs on a
 * class path of Flink's own jars. The flink:2.2.1-java17 image ships Flink's runtime in
 * lib/flink-dist (with RocksDB and the datagen connector), flink-connector-base inside
 * lib/flink-connector-files, logging in lib/log4j-*, and the Prometheus reporter as a plugin; the jar
 * must bring everything else and none of those.
 */
class ShadedJobJarIT {
    private static final Path JAR = Repo.JOB_JAR;
    private static final Path JOB_CLASSPATH = Repo.ROOT.resolve("flink-jobs/target/runtime-classpath.txt");

    /** Artifacts of flink-jobs' runtime class path that the jar must contain (the image lacks them). */
    private static final Set<String> BUNDLED = Set.of(
            "gridtier-schemas", "gridtier-model", "avro", "flink-avro", "flink-connector-kafka", "kafka-clients", "zstd-jni",
            "jackson-core", "jackson-databind", "jackson-annotations", "jackson-datatype-jsr310",
            "jackson-datatype-jdk8", "jackson-dataformat-yaml", "snakeyaml", "commons-compress", "commons-codec");
    /** Loaded by the cluster from plugins/, never from a class path. */
    private static final Set<String> PLUGINS = Set.of("flink-metrics-prometheus");

    /** Where every class of the jar must come from: GridTier and the libraries of {@link #BUNDLED}. */
    private static final List<String> CLASS_ROOTS = List.of(
            "io/gridtier/",
            "org/apache/avro/",
            "org/apache/flink/formats/avro/",
            "org/apache/flink/connector/kafka/",
            "org/apache/flink/streaming/connectors/kafka/",
            "org/apache/flink/streaming/util/serialization/", // the Kafka connector's JSONKeyValueDeserializationSchema
            "org/apache/kafka/",
            "com/github/luben/zstd/",
            "com/fasterxml/jackson/",
            "org/yaml/snakeyaml/",
            "org/apache/commons/compress/",
            "org/apache/commons/codec/");

    /** What the image provides and the jar must therefore not hold (a second copy would shadow or clash). */
    private static final List<String> FORBIDDEN = List.of(
            "org/apache/flink/runtime/",
            "org/apache/flink/streaming/api/environment/",
            "org/apache/flink/streaming/api/datastream/",
            "org/apache/flink/api/common/",
            "org/apache/flink/configuration/",
            "org/apache/flink/core/",
            "org/apache/flink/client/",
            "org/apache/flink/connector/base/",
            "org/apache/flink/connector/file/",
            "org/apache/flink/connector/datagen/",
            "org/apache/flink/state/rocksdb/",
            "org/apache/flink/contrib/streaming/state/",
            "org/apache/flink/shaded/",
            "org/rocksdb/",
            "org/apache/flink/metrics/",
            "org/apache/flink/metrics/prometheus/",
            "io/prometheus/",
            "org/slf4j/",
            "org/apache/logging/log4j/",
            "org/apache/log4j/",
            "com/esotericsoftware/kryo/",
            "org/xerial/snappy/",
            "net/jpountz/",
            "org/apache/commons/lang3/",
            "org/apache/commons/io/");

    /** Flink on Java 17 needs these opened (as bin/gridtier and Flink's own config.yaml do). */
    private static final List<String> JVM_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static List<String> entries;
    private static Manifest manifest;
    private static final Map<String, String> SERVICES = new TreeMap<>();

    @BeforeAll
    static void openTheJar() throws IOException {
        assertThat(JAR).as("the shaded job jar; build it with: mvn -B -pl flink-jobs -am package -DskipTests").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            manifest = jar.getManifest();
            entries = jar.stream().map(e -> e.getName()).toList();
            for (String name : entries) {
                if (name.startsWith("META-INF/services/") && !name.endsWith("/")) {
                    try (var in = jar.getInputStream(jar.getEntry(name))) {
                        SERVICES.put(name.substring("META-INF/services/".length()),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    private static List<String> classes() {
        return entries.stream().filter(n -> n.endsWith(".class"))
                .map(n -> n.replaceFirst("^META-INF/versions/\\d+/", ""))
                .toList();
    }

    @Test
    void theManifestStartsTheKafkaJob() {
        assertThat(manifest).as("META-INF/MANIFEST.MF").isNotNull();
        assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo("io.gridtier.kafka.KafkaJob");
        // Jackson, SnakeYAML and commons-compress ship Java-version-specific classes
        assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
    }

    @Test
    void itHoldsTheJobTheSchemasTheKafkaConnectorKafkaClientsAndAvro() {
        assertThat(entries).contains(
                "io/gridtier/kafka/KafkaJob.class",
                "io/gridtier/config/JobConfig.class",
                "io/gridtier/schema/MeterReading.class",
                "io/gridtier/schema/CustomerProfile.class",
                "io/gridtier/schema/BillingEvent.class",
                "io/gridtier/schema/CustomerSegment.class",
                "io/gridtier/schema/SegmentAlert.class",
                "io/gridtier/schema/DeadLetter.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                "org/apache/kafka/clients/producer/KafkaProducer.class",
                "org/apache/kafka/clients/admin/Admin.class",
                "org/apache/avro/Schema.class",
                "org/apache/avro/specific/SpecificRecordBase.class",
                "org/apache/flink/formats/avro/typeutils/AvroTypeInfo.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class",
                "com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class",
                "org/yaml/snakeyaml/Yaml.class",
                // kafka-clients' zstd codec: its JNI library for the image's platforms
                "com/github/luben/zstd/Zstd.class",
                "linux/amd64/libzstd-jni-1.5.6-10.so",
                "linux/aarch64/libzstd-jni-1.5.6-10.so");
    }

    @Test
    void everyClassComesFromGridTierOrALibraryTheFlinkImageLacks() {
        List<String> strangers = classes().stream()
                .filter(c -> CLASS_ROOTS.stream().noneMatch(c::startsWith))
                .toList();
        assertThat(strangers)
                .as("classes outside the expected libraries (a new dependency? then either exclude it in "
                        + "flink-jobs/pom.xml because the image has it, or add it here and to BUNDLED)")
                .isEmpty();
    }

    @Test
    void itHoldsTheModelButNoToolingClass() {
        // the module graph draws the jar's boundary: gridtier-model and flink-jobs are in, gridtier-tools is not
        assertThat(entries).contains("io/gridtier/model/SegmentationModel.class", "io/gridtier/customer/BillingLedger.class",
                "io/gridtier/job/CustomerSegmenter.class", "io/gridtier/replay/Replay.class");
        for (String tooling : List.of("io/gridtier/cli/", "io/gridtier/generator/", "io/gridtier/bench/",
                "io/gridtier/livedemo/", "io/gridtier/realdata/", "io/gridtier/evaluation/", "io/gridtier/testkit/",
                "picocli/")) {
            assertThat(entries).as("tooling under " + tooling + " (gridtier-tools and the test kit stay out of the job jar)")
                    .noneMatch(n -> n.startsWith(tooling));
        }
    }

    @Test
    void itLeavesOutFlinksRuntimeRocksDbThePrometheusReporterAndLogging() {
        for (String prefix : FORBIDDEN) {
            assertThat(entries).as("entries under " + prefix).noneMatch(n -> n.startsWith(prefix));
        }
        // the command line's log4j2.xml would not configure the cluster's logging anyway
        assertThat(entries).doesNotContain("log4j2.xml", "log4j.properties", "log4j2-test.xml");
    }

    @Test
    void noClassInTheJarNeedsSlf4j2() throws IOException {
        // org.slf4j is loaded parent-first from the image, whose slf4j-api is Flink's own 1.7.36 (the
        // version Flink 2.2.1's modules depend on); here Avro pulls 2.0.x, whose fluent API 1.7 lacks
        List<String> users = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (var e : Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class")) {
                    try (var in = jar.getInputStream(e)) {
                        if (new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("org/slf4j/spi/LoggingEventBuilder")) {
                            users.add(e.getName());
                        }
                    }
                }
            }
        }
        assertThat(users).as("classes using slf4j 2's LoggingEventBuilder").isEmpty();
    }

    @Test
    void itHasNoSignatureFilesOrModuleDescriptors() {
        assertThat(entries).noneMatch(n -> n.matches("(?i)META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
        assertThat(entries).noneMatch(n -> n.endsWith("module-info.class"));
    }

    @Test
    void theServiceFilesOfItsLibrariesAreMergedAndNameClassesInTheJar() {
        assertThat(providers("org.apache.flink.table.factories.Factory")).contains(
                "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory",
                "org.apache.flink.streaming.connectors.kafka.table.UpsertKafkaDynamicTableFactory",
                "org.apache.flink.formats.avro.AvroFormatFactory");
        assertThat(providers("org.apache.kafka.common.config.provider.ConfigProvider")).contains(
                "org.apache.kafka.common.config.provider.FileConfigProvider",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(providers("org.apache.avro.SchemaFormatterFactory")).contains("org.apache.avro.JsonSchemaFormatterFactory");
        assertThat(providers("com.fasterxml.jackson.core.JsonFactory")).contains(
                "com.fasterxml.jackson.core.JsonFactory", "com.fasterxml.jackson.dataformat.yaml.YAMLFactory");
        assertThat(providers("com.fasterxml.jackson.databind.Module")).contains(
                "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule", "com.fasterxml.jackson.datatype.jdk8.Jdk8Module");
        SERVICES.forEach((service, text) -> assertThat(providers(service)).allSatisfy(impl ->
                assertThat(entries).as("provider of " + service).contains(impl.replace('.', '/') + ".class")));
    }

    private static List<String> providers(String service) {
        String text = SERVICES.get(service);
        assertThat(text).as("META-INF/services/" + service).isNotNull();
        return text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void theKafkaJobStartsOnFlinksClassPathAndRejectsAnInvalidConfiguration() {
        Path dir = Repo.workDir("shaded-jar/invalid-config");
        Path config = Repo.write(dir.resolve("gridtier.yaml"), "noSuchKey: 1\n");
        Tools.Result run = java(dir, "io.gridtier.kafka.KafkaJob", "--config", config.toString());
        assertThat(run.exitCode()).as(run.describe()).isNotZero();
        assertThat(run.stderr()).as(run.describe())
                .doesNotContain("ClassNotFoundException", "NoClassDefFoundError", "LinkageError", "NoSuchMethodError")
                .contains("io.gridtier.model.InvalidConfigException")
                .contains("configuration " + config + " is invalid")
                .contains("unknown key 'noSuchKey'");
    }

    @Test
    void theProductionJobGraphBuildsOnFlinksClassPath() {
        Path dir = Repo.workDir("shaded-jar/job-graph");
        Path probe = Repo.ROOT.resolve("ops-tests/src/test/probe/JobGraphProbe.java");
        Tools.Result run = java(dir, probe.toString(),
                Repo.ROOT.resolve("config/gridtier.yaml").toString(), Repo.ROOT.toString(), dir.toString());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe())
                .containsPattern("job graph: \\d+ vertices")
                .contains("kafka: ");
        assertThat(run.stderr()).as(run.describe()).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }

    /**
     * Runs {@code java} with the shaded jar first, then flink-jobs' runtime class path less what the jar
     * is meant to bundle and less the plugins: the class path of a Flink 2.2.1 process (flink-dist,
     * lib/) plus the user jar, give or take the log4j binding.
     */
    private static Tools.Result java(Path dir, String... mainAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.addAll(JVM_OPENS);
        cmd.add("-cp");
        cmd.add(clusterClassPath());
        cmd.addAll(List.of(mainAndArgs));
        return Tools.run(cmd, dir, Map.of(), 300);
    }

    static String clusterClassPath() {
        assertThat(JOB_CLASSPATH).as("flink-jobs' runtime class path (mvn -B -pl flink-jobs -am package)").isRegularFile();
        List<Path> runtime = Stream.of(Repo.read(JOB_CLASSPATH).strip().split(File.pathSeparator)).map(Path::of).toList();
        Set<String> seen = new java.util.HashSet<>();
        List<String> cp = new ArrayList<>();
        cp.add(JAR.toString());
        for (Path jar : runtime) {
            String artifact = artifactId(jar);
            seen.add(artifact);
            if (!BUNDLED.contains(artifact) && !PLUGINS.contains(artifact)) {
                cp.add(jar.toString());
            }
        }
        // the lists above must name real artifacts, and Flink's runtime must stay on the class path
        assertThat(seen).as("artifacts of " + JOB_CLASSPATH).containsAll(BUNDLED).containsAll(PLUGINS)
                .contains("flink-runtime", "flink-streaming-java", "flink-clients", "flink-statebackend-rocksdb",
                        "flink-connector-base", "flink-connector-files");
        return String.join(File.pathSeparator, cp);
    }

    private static final Pattern VERSIONED = Pattern.compile("^(.+?)-\\d[^/]*\\.jar$");

    /** The artifact id of a jar in the local repository (…/artifactId/version/file) or a reactor target/. */
    static String artifactId(Path jar) {
        Path versionDir = jar.getParent();
        if (versionDir != null && versionDir.getParent() != null
                && jar.getFileName().toString().startsWith(versionDir.getParent().getFileName() + "-" + versionDir.getFileName())) {
            return versionDir.getParent().getFileName().toString();
        }
        Matcher m = VERSIONED.matcher(jar.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("cannot tell the artifact of " + jar);
        }
        return m.group(1);
    }

    @Test
    void artifactIdsAreReadFromRepositoryAndReactorPaths() {
        assertThat(artifactId(Path.of("/r/org/apache/avro/avro/1.12.1/avro-1.12.1.jar"))).isEqualTo("avro");
        assertThat(artifactId(Path.of("/r/org/apache/flink/flink-connector-kafka/5.0.0-2.2/flink-connector-kafka-5.0.0-2.2.jar")))
                .isEqualTo("flink-connector-kafka");
        assertThat(artifactId(Path.of("/r/org/apache/flink/flink-shaded-guava/33.4.0-jre-20.0/flink-shaded-guava-33.4.0-jre-20.0.jar")))
                .isEqualTo("flink-shaded-guava");
        assertThat(artifactId(Path.of("/w/schemas/target/gridtier-schemas-0.1.0-SNAPSHOT.jar"))).isEqualTo("gridtier-schemas");
        assertThat(Collections.frequency(List.of(clusterClassPath().split(File.pathSeparator)), JAR.toString())).isEqualTo(1);
        assertThat(clusterClassPath()).doesNotContain("kafka-clients", "flink-metrics-prometheus", "/avro-1");
    }
}
