package io.gridtier.cluster;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterProcessesTest {
    @TempDir
    Path cluster;

    @Test
    void findsTheProcessOfAPidFile() throws IOException {
        Files.createDirectories(cluster.resolve("pids"));
        Files.writeString(cluster.resolve("pids/taskmanager-2.pid"), ProcessHandle.current().pid() + "\n");

        assertThat(ClusterProcesses.process(cluster, "taskmanager-2").pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void saysWhenThereIsNoPidFileOrNoProcess() throws Exception {
        assertThatThrownBy(() -> ClusterProcesses.process(cluster, "jobmanager"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jobmanager has no pid file");

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(cluster.resolve("pids"));
        Files.writeString(cluster.resolve("pids/jobmanager.pid"), String.valueOf(gone.pid()));
        assertThatThrownBy(() -> ClusterProcesses.process(cluster, "jobmanager"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("(pid " + gone.pid() + ") does not run");
    }

    @Test
    void cancelsWithAPatchAndSaysWhatARefusalAnswered() throws Exception {
        List<String> asked = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jobs/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            boolean known = exchange.getRequestURI().getPath().endsWith("/abc");
            byte[] body = (known ? "{}" : "{\"errors\":[\"Job could not be found.\"]}").getBytes();
            exchange.sendResponseHeaders(known ? 202 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String rest = "http://127.0.0.1:" + server.getAddress().getPort();
            ClusterProcesses.cancel(rest, "abc");
            assertThatThrownBy(() -> ClusterProcesses.cancel(rest, "other"))
                    .isInstanceOf(IOException.class).hasMessageContaining("HTTP 404").hasMessageContaining("could not be found");
            assertThat(asked).containsExactly("PATCH /jobs/abc?mode=cancel", "PATCH /jobs/other?mode=cancel");
        } finally {
            server.stop(0);
        }
    }
}
