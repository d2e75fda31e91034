package io.gridtier.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One {@link LocalKafka} for a whole test run: every class annotated {@code @ExtendWith(SharedLocalKafka.class)}
 * in the JVM shares it, so the broker starts once however many classes use it. It is started on first use and
 * stopped (by its PID) when the run ends; the tests keep apart through their own topics, groups and
 * transactional ids. Its folder is {@code target/local-kafka} of the module under test
 * ({@code -Dgridtier.testkit.kafkaDir} to move it); the data is deleted at the end, the logs stay for a post-mortem.
 */
public final class SharedLocalKafka implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedLocalKafka.class);
    private static volatile Broker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        // the root store lives as long as the run and closes what it holds (AutoCloseable) at the end
        broker = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Broker.class, k -> Broker.start(), Broker.class);
    }

    /** The shared broker's {@code bootstrap.servers}. */
    public static String bootstrapServers() {
        Broker b = broker;
        if (b == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedLocalKafka.class)");
        }
        return b.kafka.bootstrapServers();
    }

    private record Broker(LocalKafka kafka, Path dir) implements AutoCloseable {
        static Broker start() {
            Path dir = Path.of(System.getProperty("gridtier.testkit.kafkaDir", "target/local-kafka")).toAbsolutePath();
            try {
                deleteRecursively(dir);
                return new Broker(LocalKafka.start(dir), dir);
            } catch (Exception e) {
                throw new IllegalStateException("the shared test Kafka broker did not start (logs in " + dir.resolve("logs") + ")", e);
            }
        }

        @Override
        public void close() throws Exception {
            kafka.close();
            deleteRecursively(dir.resolve("data"));
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
