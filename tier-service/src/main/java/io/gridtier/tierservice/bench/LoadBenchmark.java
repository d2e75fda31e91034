package io.gridtier.tierservice.bench;

import io.gridtier.schema.CustomerSegment;
import io.gridtier.tierservice.security.Role;
import io.gridtier.tierservice.security.TokenRegistry;
import io.gridtier.tierservice.store.AvroCodec;
import io.gridtier.tierservice.store.SegmentStore;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.rocksdb.RocksDBException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark (a main, not a test). In this process it loads N customers straight into a store and
 * produces M segment updates to a Kafka topic; then it starts the service in a second process over that store,
 * which reads the M updates (materialisation rate), and, from this process over loopback, looks up random known
 * customers on keep-alive connections (lookups/s, p50/p99/p99.9 latency); with --slow-connections N, measures the
 * lookups a second time while N connections whose headers never end are held open.
 * <pre>
 *   TierService bench [--customers 1000000] [--updates 300000] [--connections 8] [--warmup-seconds 10]
 *                     [--seconds 30] [--work tier-service/target/bench] [--bootstrap-servers H:P] [--keep false]
 *                     [--service-port 0] [--service-heap 2g] [--service-java-opts "..."]
 *                     [--slow-connections 0]
 * </pre>
 * Without --bootstrap-servers it starts the project's local broker (bin/lib/kafka-broker.sh) in the work folder
 * and stops it at the end. The work folder is deleted at the end unless --keep true.
 */
public final class LoadBenchmark {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("customers", "1000000");
        o.put("updates", "300000");
        o.put("connections", "8");
        o.put("warmup-seconds", "10");
        o.put("seconds", "30");
        o.put("work", "tier-service/target/bench");
        o.put("bootstrap-servers", "");
        o.put("keep", "false");
        o.put("service-heap", "2g");
        o.put("service-java-opts", "");
        o.put("service-port", "0");
        o.put("slow-connections", "0");
        for (int i = 0; i < args.length; i += 2) {
            String k = args[i].replaceFirst("^--", "");
            if (!o.containsKey(k) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + o.keySet());
            }
            o.put(k, args[i + 1]);
        }
        int customers = Integer.parseInt(o.get("customers"));
        int updates = Integer.parseInt(o.get("updates"));
        Path work = Path.of(o.get("work")).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work.resolve("tmp"));
        System.out.printf("tier-service benchmark: %,d customers, %,d updates from Kafka, %s connections, %s s; "
                        + "load average now %.1f on %d cores%n", customers, updates, o.get("connections"), o.get("seconds"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());

        // 1. the store, loaded directly
        Path store = work.resolve("store");
        Instant asOf = Instant.parse("2016-09-01T00:00:00Z");
        long started = System.nanoTime();
        try (SegmentStore s = SegmentStore.open(store, 256L << 20)) {
            load(s, customers, asOf);
            s.flush();
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("direct load into the store: %,d customers in %.1f s (%,.0f segments/s)%n",
                customers, loadSeconds, customers / loadSeconds);

        // 2. updates on the topic
        String bootstrap = o.get("bootstrap-servers");
        Path brokerDir = null;
        if (bootstrap.isEmpty()) {
            brokerDir = work.resolve("kafka");
            bootstrap = startBroker(brokerDir);
        }
        Process service = null;
        try {
            String segmentsTopic = "bench-segments-" + System.currentTimeMillis();
            String alertsTopic = "bench-alerts-" + System.currentTimeMillis();
            SampleProducer.createTopics(bootstrap, segmentsTopic, alertsTopic, 2);
            started = System.nanoTime();
            produceUpdates(bootstrap, segmentsTopic, customers, updates, asOf.plus(Duration.ofDays(30)));
            System.out.printf("produced %,d segment updates in %.1f s%n", updates, (System.nanoTime() - started) / 1e9);

            // 3. the service, in its own process
            String token = TokenRegistry.newToken("bench01");
            int port = Integer.parseInt(o.get("service-port"));
            if (port == 0) {
                port = freePort();
            }
            service = startService(work, store, bootstrap, segmentsTopic, alertsTopic, port,
                    TokenRegistry.line(token, Role.AGENT, "bench", false), o.get("service-heap"), o.get("service-java-opts"));
            String ready = awaitReady(port, service, Duration.ofMinutes(15));
            System.out.println("service ready: " + ready);
            Matcher m = Pattern.compile("\"records\":(\\d+),\"millis\":(\\d+),\"recordsPerSecond\":(\\d+),"
                    + "\"ingestCpuMillis\":(\\d+),\"processCpuMillis\":(\\d+)").matcher(ready);
            if (m.find()) {
                long records = Long.parseLong(m.group(1));
                long threadCpu = Long.parseLong(m.group(4));
                long processCpu = Long.parseLong(m.group(5));
                System.out.printf("materialisation from the topic: %,d segment updates in %,d ms = %,d updates/s "
                                + "(wall clock, with the service's start); CPU: poll + write threads %,d ms = %,.0f updates per "
                                + "CPU-second, whole service %,d ms = %,.0f updates per CPU-second%n",
                        records, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), threadCpu,
                        threadCpu == 0 ? 0.0 : records * 1000.0 / threadCpu, processCpu,
                        processCpu == 0 ? 0.0 : records * 1000.0 / processCpu);
            }

            // 4. lookups
            Duration warmup = Duration.ofSeconds(Long.parseLong(o.get("warmup-seconds")));
            Duration measured = Duration.ofSeconds(Long.parseLong(o.get("seconds")));
            int connections = Integer.parseInt(o.get("connections"));
            print("lookups", lookups(port, token, customers, connections, warmup, measured));
            int slow = Integer.parseInt(o.get("slow-connections"));
            if (slow > 0) {
                try (SlowClients clients = SlowClients.open(port, slow)) {
                    Result r = lookups(port, token, customers, connections, warmup, measured);
                    print(String.format(Locale.ROOT, "lookups beside %,d slow connections (headers never finished, a "
                            + "byte more each every %d s; %,d still open at the end)", slow,
                            SlowClients.TRICKLE.toSeconds(), clients.stillOpen()), r);
                }
            }
            System.out.printf("load average at the end: %.1f%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(60, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            if (brokerDir != null) {
                brokerScript("stop", brokerDir.toString());
            }
            if (!Boolean.parseBoolean(o.get("keep"))) {
                deleteTree(work);
            }
        }
    }

    private static void print(String what, Result r) {
        System.out.printf(Locale.ROOT, "%s: %,d in %.1f s = %,.0f lookups/s; latency p50 %.2f ms, p99 %.2f ms, "
                        + "p99.9 %.2f ms, max %.2f ms; non-200 answers: %d%n", what,
                r.count, r.seconds, r.count / r.seconds, r.quantileMs(0.50), r.quantileMs(0.99), r.quantileMs(0.999),
                r.maxMs(), r.errors);
    }

    /** Connections whose request headers never end: a byte more on each every {@link #TRICKLE}. */
    private static final class SlowClients implements AutoCloseable {
        static final Duration TRICKLE = Duration.ofSeconds(5);
        private final List<Socket> sockets = new ArrayList<>();
        private final Thread trickler;
        private volatile boolean closing;

        private SlowClients(int port, int n) throws IOException {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                        .getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            trickler = new Thread(() -> {
                while (!closing) {
                    try {
                        Thread.sleep(TRICKLE.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (Socket s : sockets) {
                        try {
                            s.getOutputStream().write('x');
                        } catch (IOException e) {
                            // closed by the service: counted by stillOpen
                        }
                    }
                }
            }, "slow-clients");
            trickler.setDaemon(true);
            trickler.start();
        }

        static SlowClients open(int port, int n) throws IOException {
            return new SlowClients(port, n);
        }

        /** Connections the service has not closed: nothing to read yet. */
        int stillOpen() throws IOException {
            int open = 0;
            for (Socket s : sockets) {
                s.setSoTimeout(1);
                try {
                    open += s.getInputStream().read() < 0 ? 0 : 1;
                } catch (java.net.SocketTimeoutException e) {
                    open++;
                } catch (IOException e) {
                    // reset: closed
                }
            }
            return open;
        }

        @Override
        public void close() throws IOException {
            closing = true;
            trickler.interrupt();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Distinct random segments; customers take one each in turn, under their own id (generating is slow). */
    private static List<CustomerSegment> pool(Random r, Instant asOf) {
        List<CustomerSegment> pool = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            pool.add(SyntheticSegments.random("P" + i, r, asOf));
        }
        return pool;
    }

    private static final int POOL = 4096;

    private static void load(SegmentStore store, int customers, Instant asOf) throws RocksDBException {
        Random r = new Random(42);
        List<CustomerSegment> pool = pool(r, asOf);
        long now = System.currentTimeMillis();
        SegmentStore.Batch batch = store.newBulkBatch();
        try {
            for (int i = 0; i < customers; i++) {
                String id = SyntheticSegments.customerId(i);
                CustomerSegment s = pool.get(r.nextInt(POOL));
                s.setCustomerId(id);
                batch.segment(id, AvroCodec.encode(s), now, now);
                if (i % 5000 == 4999) {
                    batch.commit();
                }
            }
            batch.commit();
        } finally {
            batch.close();
        }
    }

    private static void produceUpdates(String bootstrap, String topic, int customers, int updates, Instant asOf) {
        Random r = new Random(7);
        List<CustomerSegment> pool = pool(r, asOf);
        try (KafkaProducer<byte[], byte[]> p = SampleProducer.producer(bootstrap)) {
            for (int i = 0; i < updates; i++) {
                String id = SyntheticSegments.customerId(r.nextInt(customers));
                CustomerSegment s = pool.get(r.nextInt(POOL));
                s.setCustomerId(id);
                s.setAsOf(asOf.plusSeconds(i));
                p.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), AvroCodec.encode(s)));
            }
            p.flush();
        }
    }

    private static Process startService(Path work, Path store, String bootstrap, String segmentsTopic,
                                        String alertsTopic, int port, String tokenLine, String heap, String javaOpts)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Djava.io.tmpdir=" + work.resolve("tmp")));
        if (!javaOpts.isBlank()) {
            cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.gridtier.tierservice.TierService", "run",
                "--store", store.toString(), "--port", Integer.toString(port),
                "--bootstrap-servers", bootstrap, "--segments-topic", segmentsTopic, "--alerts-topic", alertsTopic,
                "--block-cache-mb", "512", "--log-key", "bench"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("service.log").toFile());
        pb.environment().put("GRIDTIER_TIER_TOKENS_INLINE", tokenLine);
        return pb.start();
    }

    private static String awaitReady(int port, Process service, Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.exitValue() + "; see its service.log");
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service was not ready within " + timeout);
    }

    /** Closed-loop lookups of random known customers on keep-alive connections. */
    private static Result lookups(int port, String token, int customers, int connections, Duration warmup,
                                  Duration measure) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        Result total = new Result();
        List<Thread> threads = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Result r = new Result();
            results.add(r);
            Thread t = new Thread(() -> {
                try {
                    connectionLoop(port, token, customers, measureFrom, measureTo, r);
                } catch (IOException e) {
                    r.failure = e.toString();
                }
            }, "bench-conn-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Result r : results) {
            if (r.failure != null) {
                System.out.println("a connection failed: " + r.failure);
            }
            total.add(r);
        }
        total.seconds = measure.toNanos() / 1e9;
        return total;
    }

    private static void connectionLoop(int port, String token, int customers, long measureFrom, long measureTo,
                                       Result r) throws IOException {
        SplittableRandom random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            byte[] head = ("HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                long now = System.nanoTime();
                if (now >= measureTo) {
                    return;
                }
                String id = SyntheticSegments.customerId(random.nextInt(customers));
                byte[] line = ("GET /api/customers/" + id + " ").getBytes(StandardCharsets.US_ASCII);
                byte[] request = new byte[line.length + head.length];
                System.arraycopy(line, 0, request, 0, line.length);
                System.arraycopy(head, 0, request, line.length, head.length);
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                int status = readResponse(in, buffer);
                long t1 = System.nanoTime();
                if (t0 >= measureFrom) {
                    r.record(t1 - t0, status == 200);
                }
            }
        }
    }

    /** Reads one response (status line, headers, Content-Length body) and returns its status. */
    private static int readResponse(InputStream in, byte[] buffer) throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            buffer[n++] = (byte) b;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n') {
                break;
            }
            if (n == buffer.length) {
                throw new IOException("headers too long");
            }
        }
        String headers = new String(buffer, 0, n, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(headers.substring(9, 12));
        Matcher m = CONTENT_LENGTH.matcher(headers);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        while (length > 0) {
            int read = in.read(buffer, 0, Math.min(buffer.length, length));
            if (read < 0) {
                throw new IOException("connection closed in a body");
            }
            length -= read;
        }
        return status;
    }

    /** Latencies in 10 µs buckets up to 2 s (beyond: the last bucket). */
    private static final class Result {
        final long[] buckets = new long[200_000];
        long count;
        long errors;
        long maxNanos;
        double seconds;
        String failure;

        void record(long nanos, boolean ok) {
            buckets[(int) Math.min(buckets.length - 1, nanos / 10_000)]++;
            count++;
            if (!ok) {
                errors++;
            }
            maxNanos = Math.max(maxNanos, nanos);
        }

        void add(Result o) {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] += o.buckets[i];
            }
            count += o.count;
            errors += o.errors;
            maxNanos = Math.max(maxNanos, o.maxNanos);
        }

        double quantileMs(double q) {
            long rank = (long) Math.ceil(q * count);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) {
                    return (i + 1) * 0.01; // upper edge of the bucket
                }
            }
            return maxMs();
        }

        double maxMs() {
            return maxNanos / 1e6;
        }
    }

    // ---------------------------------------------------------------- the local broker

    private static String startBroker(Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        while (!free(port + 1)) {
            port = freePort();
        }
        if (brokerScript("start", dir.toString(), Integer.toString(port)) != 0) {
            throw new IllegalStateException("the local Kafka broker did not start; see " + dir.resolve("logs"));
        }
        return "127.0.0.1:" + port;
    }

    private static int brokerScript(String... args) throws Exception {
        Path home = repoHome();
        List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("bin/lib/kafka-broker.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).inheritIO().start();
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** The repository: -Dgridtier.home, or the first folder upwards from here that holds bin/lib/kafka-broker.sh. */
    private static Path repoHome() {
        String home = System.getProperty("gridtier.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("bin/lib/kafka-broker.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository (bin/lib/kafka-broker.sh); pass -Dgridtier.home=");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        FileUtils.deleteDirectory(dir.toFile()); // nothing when it does not exist
    }
}
