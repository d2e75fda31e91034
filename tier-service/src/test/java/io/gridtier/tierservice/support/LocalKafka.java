package io.gridtier.tierservice.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker for the tests, in its own JVM, started once per test run through the
 * project's launcher ({@code bin/lib/kafka-broker.sh}, which builds local-kafka on first use) and stopped, by
 * the PID it recorded, when the run ends. Its folder lives under target/test-work and is deleted afterwards.
 */
public final class LocalKafka implements BeforeAllCallback {
    private static volatile Broker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("gridtier-local-kafka", k -> Broker.start(), Broker.class);
    }

    public static String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(LocalKafka.class)");
        }
        return "127.0.0.1:" + broker.port;
    }

    @SuppressWarnings("deprecation")
    static final class Broker implements ExtensionContext.Store.CloseableResource {
        final Path dir;
        final int port;
        final Thread hook;

        private Broker(Path dir, int port) {
            this.dir = dir;
            this.port = port;
            this.hook = new Thread(this::stop, "stop-test-kafka");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        static Broker start() {
            Path dir = TestWork.newDir("kafka");
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePortPair();
                int exit = script("start", dir.toString(), Integer.toString(port));
                if (exit == 0) {
                    return new Broker(dir, port);
                }
            }
            throw new IllegalStateException("the test Kafka broker did not start; see " + dir.resolve("script.log")
                    + " and " + dir.resolve("logs"));
        }

        void stop() {
            script("stop", dir.toString());
        }

        @Override
        public void close() throws IOException {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            TestWork.deleteTree(dir);
        }

        private static int script(String... args) {
            Path script = TestWork.repoHome().resolve("bin/lib/kafka-broker.sh");
            Path dir = Path.of(args[1]);
            List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
            command.addAll(List.of(args));
            try {
                Files.createDirectories(dir);
                Process p = new ProcessBuilder(command).directory(TestWork.repoHome().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("script.log").toFile()))
                        .start();
                // the script waits up to 60 s for the broker, plus a first build of local-kafka
                if (!p.waitFor(6, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return -1;
                }
                if (p.exitValue() != 0) {
                    System.err.println("kafka-broker.sh " + String.join(" ", args) + " failed:\n"
                            + Files.readString(dir.resolve("script.log"), StandardCharsets.UTF_8));
                }
                return p.exitValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        /** A port P with P+1 (the controller's) free too, in a range away from the usual ones. */
        private static int freePortPair() {
            for (int i = 0; i < 50; i++) {
                int p = ThreadLocalRandom.current().nextInt(21000, 39000);
                if (free(p) && free(p + 1)) {
                    return p;
                }
            }
            throw new IllegalStateException("no free port pair found");
        }

        private static boolean free(int port) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
