package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job configuration and model the chart renders are ones the job accepts, and the chart's
 * defaults are the repository's (config/gridtier.yaml, config/model/).
 */
class JobConfigCompatibilityIT {
    private static final Path JOB_CLASSES = Repo.ROOT.resolve("flink-jobs/target/classes");
    private static final Path JOB_CLASSPATH = Repo.ROOT.resolve("flink-jobs/target/runtime-classpath.txt");

    @Test
    void theJobLoadsTheRenderedConfigurationAndModel() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JOB_CLASSES.resolve("io/gridtier/config/JobConfig.class"))
                        && Files.isRegularFile(JOB_CLASSPATH),
                "flink-jobs is not built (mvn -pl flink-jobs -am package -DskipTests): JobConfig cannot be run");
        List<URL> urls = new ArrayList<>();
        urls.add(JOB_CLASSES.toUri().toURL());
        for (String entry : Repo.read(JOB_CLASSPATH).strip().split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        try (URLClassLoader job = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Method loadConfig = job.loadClass("io.gridtier.config.JobConfig").getMethod("load", Path.class, List.class, Path.class);
            Method loadModel = job.loadClass("io.gridtier.model.ModelConfig").getMethod("load", Path.class);
            for (String[] args : List.of(new String[0], new String[] {"-f", Repo.PRODUCTION_VALUES.toString()})) {
                String name = args.length == 0 ? "default" : "production";
                JsonNode cm = HelmChartIT.configMap(Manifests.render(args), "gridtier-job-config");
                Path dir = Repo.workDir("job-config/" + name);
                Path config = Repo.write(dir.resolve("gridtier.yaml"), cm.path("data").path("gridtier.yaml").asText());
                Path model = Repo.write(dir.resolve("model.yaml"), cm.path("data").path("model.yaml").asText());
                try {
                    // the ConfigMap names /opt/gridtier/config/model.yaml; here the model lies beside the file
                    loadConfig.invoke(null, config, List.of("model=" + model), dir);
                    loadModel.invoke(null, model);
                } catch (InvocationTargetException e) {
                    throw new AssertionError("the job refuses the " + name + " rendering: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    @Test
    void theChartsDefaultsAreTheRepositorysConfiguration() {
        JsonNode repo = Manifests.yaml(Repo.read(Repo.ROOT.resolve("config/gridtier.yaml")));
        JsonNode values = Manifests.yaml(Repo.read(Repo.CHART.resolve("values.yaml")));
        JsonNode jobConfig = values.path("job").path("config");
        for (Iterator<Map.Entry<String, JsonNode>> it = repo.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (List.of("model", "flink", "kafka").contains(e.getKey())) {
                continue; // filled in by the chart from its own values
            }
            assertThat(jobConfig.path(e.getKey()))
                    .as("helm/gridtier/values.yaml job.config.%s must equal config/gridtier.yaml's %s", e.getKey(), e.getKey())
                    .isEqualTo(e.getValue());
        }
        JsonNode kafka = repo.path("kafka");
        assertThat(values.path("kafka").path("topics")).as("topic names").isEqualTo(kafka.path("topics"));
        assertThat(values.path("job").path("kafka").path("groupId")).isEqualTo(kafka.path("groupId"));
    }

    @Test
    void theChartsModelIsTheRepositorysModel() {
        assertThat(Repo.read(Repo.CHART.resolve("files/model/gridtier-model-v1.yaml")))
                .as("helm/gridtier/files/model/gridtier-model-v1.yaml must be a copy of config/model/gridtier-model-v1.yaml "
                        + "(cp config/model/gridtier-model-v1.yaml helm/gridtier/files/model/)")
                .isEqualTo(Repo.read(Repo.ROOT.resolve("config/model/gridtier-model-v1.yaml")));
    }
}
