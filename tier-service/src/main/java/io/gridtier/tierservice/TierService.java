package io.gridtier.tierservice;

import io.gridtier.tierservice.bench.LoadBenchmark;
import io.gridtier.tierservice.bench.SampleProducer;
import io.gridtier.tierservice.security.Role;
import io.gridtier.tierservice.security.TokenRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The tier service's command line (main class {@code io.gridtier.tierservice.TierService}):
 * <pre>
 *   run [--key value ...]                  the service (the default when the first argument is an option)
 *   hash-token --role R --name N [--pbkdf2] [--token-stdin] [--expires INSTANT|DURATION]
 *                                          a new token on stderr, its configuration line on stdout
 *   produce-sample [--count N] [...]       synthetic segments and alerts onto the topics (demo data)
 *   bench [--customers N] [...]            the load benchmark ({@link LoadBenchmark})
 * </pre>
 */
public final class TierService {
    private static final String HASH_TOKEN_USAGE = "hash-token --role agent|supervisor|service --name NAME [--pbkdf2] "
            + "[--token-stdin] [--expires 2027-01-31T00:00:00Z|P90D]";
    private TierService() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = new ArrayList<>(Arrays.asList(args));
        String command = list.isEmpty() || list.get(0).startsWith("--") ? "run" : list.remove(0);
        try {
            switch (command) {
                case "run" -> run(list);
                case "hash-token" -> hashToken(list);
                case "produce-sample" -> SampleProducer.main(list.toArray(new String[0]));
                case "bench" -> LoadBenchmark.main(list.toArray(new String[0]));
                case "help", "-h", "--help" -> usage();
                default -> {
                    System.err.println("unknown command '" + command + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (ServiceConfig.ConfigException | IllegalArgumentException e) {
            System.err.println("tier-service: " + e.getMessage());
            System.exit(2);
        } catch (java.io.UncheckedIOException | io.gridtier.tierservice.store.SegmentStore.StoreException e) {
            System.err.println("tier-service: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(List<String> args) throws InterruptedException {
        ServiceConfig config = ServiceConfig.fromArgs(args, System.getenv());
        TierViewService service = new TierViewService(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "tier-shutdown"));
        // listening; /ready turns 200 once the view has caught up with the topics
        System.out.println("TIER SERVICE LISTENING http://" + config.bind() + ":" + service.port() + "/");
        stopped.await();
    }

    private static void hashToken(List<String> args) throws Exception {
        String role = null;
        String name = null;
        boolean pbkdf2 = false;
        boolean fromStdin = false;
        Optional<Instant> expires = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--role" -> role = value(args, ++i, "--role");
                case "--name" -> name = value(args, ++i, "--name");
                case "--pbkdf2" -> pbkdf2 = true;
                case "--token-stdin" -> fromStdin = true;
                case "--expires" -> expires = Optional.of(expiry(value(args, ++i, "--expires")));
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + "; usage: " + HASH_TOKEN_USAGE);
            }
        }
        if (role == null || name == null) {
            throw new IllegalArgumentException("usage: " + HASH_TOKEN_USAGE);
        }
        Role r = Role.parse(role);
        String token;
        if (fromStdin) {
            token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (token == null) {
                throw new IllegalArgumentException("no token on standard input");
            }
            token = token.strip();
        } else {
            token = TokenRegistry.newToken(TokenRegistry.newTokenId());
            System.err.println("New " + r.label() + " token for " + name + " (shown once, stored nowhere; give it to its user):");
            System.err.println(token);
            System.err.println("Add this line to the tokens file (--tokens) or GRIDTIER_TIER_TOKENS_INLINE:");
        }
        System.out.println(TokenRegistry.line(token, r, name, pbkdf2, expires));
    }

    /** An ISO-8601 instant (2027-01-31T00:00:00Z), or a duration from now (P90D). */
    private static Instant expiry(String v) {
        if (v.startsWith("P") || v.startsWith("p")) {
            try {
                return Instant.now().plus(Duration.parse(v)).truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--expires '" + v + "' is not an ISO-8601 duration such as P90D");
            }
        }
        return TokenRegistry.parseExpiry(v);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static void usage() {
        System.out.println("""
                usage: TierService [run] [--key value ...]
                       TierService hash-token --role agent|supervisor|service --name NAME [--pbkdf2] [--token-stdin]
                                              [--expires 2027-01-31T00:00:00Z|P90D]
                       TierService produce-sample [--bootstrap-servers H:P] [--count N] [--create-topics true]
                       TierService bench [--customers 1000000] [--updates 300000] [--connections 8] [--seconds 30]

                The tier service: a materialised view of customer-segments and segment-alerts, its JSON API and the
                agents' page. Options of run (or environment GRIDTIER_TIER_<KEY>, upper case, '-' as '_'):""");
        ServiceConfig.usage().forEach(System.out::println);
    }
}
