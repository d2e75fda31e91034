package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** `helm lint --strict` and `helm template` of helm/gridtier, with the default and the production-like values. */
class HelmChartIT {

    /** The two value sets every check runs against, with what each sets. */
    enum Values {
        DEFAULT(new String[0], "gridtier-kafka", "gridtier-kafka", 2, "s3://gridtier-flink/checkpoints",
                "s3://gridtier-flink/savepoints", "s3://gridtier-flink/ha", "1g", "kafka-bootstrap.kafka.svc:9093"),
        PRODUCTION(new String[] {"-f", Repo.PRODUCTION_VALUES.toString()}, "gridtier-kafka-job", "gridtier-kafka-tier-service", 6,
                "s3://prod-gridtier-flink/checkpoints", "s3://prod-gridtier-flink/savepoints", "s3://prod-gridtier-flink/ha", "3g",
                "kafka-0.kafka.prod.internal:9093,kafka-1.kafka.prod.internal:9093,kafka-2.kafka.prod.internal:9093");

        final String[] args;
        final String jobKafkaSecret;
        final String serviceKafkaSecret;
        final int parallelism;
        final String checkpointDir;
        final String savepointDir;
        final String haDir;
        final String managedMemory;
        final String bootstrapServers;
        Manifests rendered;

        Values(String[] args, String jobKafkaSecret, String serviceKafkaSecret, int parallelism, String checkpointDir,
               String savepointDir, String haDir, String managedMemory, String bootstrapServers) {
            this.args = args;
            this.jobKafkaSecret = jobKafkaSecret;
            this.serviceKafkaSecret = serviceKafkaSecret;
            this.parallelism = parallelism;
            this.checkpointDir = checkpointDir;
            this.savepointDir = savepointDir;
            this.haDir = haDir;
            this.managedMemory = managedMemory;
            this.bootstrapServers = bootstrapServers;
        }
    }

    @BeforeAll
    static void render() {
        for (Values v : Values.values()) {
            v.rendered = Manifests.render(v.args);
        }
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void lintsStrictly(Values v) {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", Repo.CHART.toString()));
        args.addAll(List.of(v.args));
        Tools.Result r = Tools.helm(args.toArray(String[]::new));
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(r.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]").doesNotContain("[ERROR]");
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void rendersTheJobTheServiceAndTheirMonitoring(Values v) {
        List<String> expected = new ArrayList<>(List.of("ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "FlinkDeployment",
                "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "PodMonitor", "PrometheusRule", "Service",
                "ServiceMonitor"));
        if (v == Values.PRODUCTION) {
            expected.add("Ingress");
        }
        assertThat(v.rendered.kinds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(v.rendered.ofKind("Secret")).as("the chart never creates Secrets").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void flinkDeploymentRunsTheJarWithSavepointUpgrades(Values v) {
        JsonNode fd = v.rendered.one("FlinkDeployment");
        assertThat(fd.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        JsonNode job = fd.path("spec").path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/gridtier-flink-jobs.jar");
        assertThat(job.path("entryClass").asText()).isEqualTo("io.gridtier.kafka.KafkaJob");
        assertThat(texts(job.path("args"))).containsExactly("--config", "/opt/gridtier/config/gridtier.yaml");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
        assertThat(job.path("parallelism").asInt()).isEqualTo(v.parallelism);
        assertThat(fd.path("spec").path("flinkVersion").asText()).matches("v2_\\d+");

        JsonNode conf = fd.path("spec").path("flinkConfiguration");
        conf.fields().forEachRemaining(e -> assertThat(e.getValue().isTextual())
                .as("flinkConfiguration values are strings: " + e.getKey()).isTrue());
        assertThat(fields(conf)).containsAllEntriesOf(Map.ofEntries(
                Map.entry("state.backend.type", "rocksdb"),
                Map.entry("execution.checkpointing.incremental", "true"),
                Map.entry("execution.checkpointing.dir", v.checkpointDir),
                Map.entry("execution.checkpointing.savepoint-dir", v.savepointDir),
                Map.entry("high-availability.type", "kubernetes"),
                Map.entry("high-availability.storageDir", v.haDir),
                Map.entry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"),
                Map.entry("metrics.reporter.prom.port", "9249"),
                Map.entry("pipeline.generic-types", "false"),
                Map.entry("taskmanager.memory.managed.size", v.managedMemory)));
        JsonNode container = flinkContainer(fd);
        assertThat(container.path("ports").findValuesAsText("containerPort")).contains("9249");
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void jobConfigMapHoldsTheConfigurationAndTheModel(Values v) {
        JsonNode cm = configMap(v.rendered, "gridtier-job-config");
        JsonNode config = Manifests.yaml(cm.path("data").path("gridtier.yaml").asText());
        assertThat(config.path("model").asText()).isEqualTo("/opt/gridtier/config/model.yaml");
        assertThat(config.path("kafka").path("bootstrapServers").asText()).isEqualTo(v.bootstrapServers);
        assertThat(config.path("flink").path("checkpointDir").asText())
                .as("the job sets the checkpoint dir itself: it must equal the cluster's")
                .isEqualTo(v.checkpointDir);
        assertThat(config.path("flink").path("parallelism").asInt()).isEqualTo(v.parallelism);
        assertThat(cm.path("data").path("model.yaml").asText())
                .isEqualTo(Repo.read(Repo.CHART.resolve("files/model/gridtier-model-v1.yaml")));

        JsonNode pod = v.rendered.one("FlinkDeployment").path("spec").path("podTemplate").path("spec");
        JsonNode volume = byName(pod.path("volumes"), "gridtier-config");
        assertThat(volume.path("configMap").path("name").asText()).isEqualTo(cm.path("metadata").path("name").asText());
        JsonNode mount = byName(flinkContainer(v.rendered.one("FlinkDeployment")).path("volumeMounts"), "gridtier-config");
        assertThat(mount.path("mountPath").asText()).isEqualTo("/opt/gridtier/config");
    }

    @Test
    void aModelGivenWithSetFileReplacesTheDefaultAndRestartsThePods() {
        Path model = Repo.write(Repo.workDir("set-file").resolve("model-v2.yaml"), "version: gridtier-model-2.0\n# test model\n");
        Manifests withModel = Manifests.render("--set-file", "model=" + model);
        assertThat(configMap(withModel, "gridtier-job-config").path("data").path("model.yaml").asText())
                .isEqualTo("version: gridtier-model-2.0\n# test model\n");
        assertThat(checksum(withModel)).isNotEqualTo(checksum(Values.DEFAULT.rendered));
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void kafkaCredentialsAndTokensComeFromNamedSecrets(Values v) {
        JsonNode jobEnv = flinkContainer(v.rendered.one("FlinkDeployment")).path("env");
        assertThat(secretRef(jobEnv, "GRIDTIER_KAFKA_SASL_JAAS_CONFIG")).isEqualTo(v.jobKafkaSecret);
        assertThat(byName(jobEnv, "GRIDTIER_KAFKA_SECURITY_PROTOCOL").path("value").asText()).isEqualTo("SASL_SSL");

        JsonNode service = serviceContainer(v.rendered);
        assertThat(secretRef(service.path("env"), "GRIDTIER_KAFKA_SASL_JAAS_CONFIG")).isEqualTo(v.serviceKafkaSecret);
        // the tokens are a file from their Secret, so that the kubelet's updates reach the service without a restart
        assertThat(texts(service.path("args"))).containsSubsequence("--tokens", "/opt/gridtier/tokens/tokens");
        JsonNode servicePod = v.rendered.one("Deployment").path("spec").path("template").path("spec");
        JsonNode tokens = byName(servicePod.path("volumes"), "api-tokens").path("secret");
        assertThat(tokens.path("secretName").asText()).isEqualTo("gridtier-tier-tokens");
        assertThat(tokens.path("items").get(0).path("key").asText()).isEqualTo("tokens");
        assertThat(tokens.path("items").get(0).path("path").asText()).isEqualTo("tokens");
        JsonNode mount = byName(service.path("volumeMounts"), "api-tokens");
        assertThat(mount.path("mountPath").asText()).isEqualTo("/opt/gridtier/tokens");
        assertThat(mount.has("subPath")).as("a subPath mount never sees the Secret's updates").isFalse();
        assertThat(service.path("env")).noneMatch(e -> e.path("name").asText().equals("GRIDTIER_TIER_TOKENS_INLINE"));
        assertThat(texts(service.path("args"))).as("the JAAS config (a password) is never a command-line argument")
                .noneMatch(a -> a.contains("jaas") || a.contains("GRIDTIER_KAFKA_SASL_JAAS_CONFIG"));
        assertThat(texts(service.path("args"))).containsSubsequence("--history-retention", "P400D");

        for (JsonNode env : List.of(jobEnv, service.path("env"))) {
            for (JsonNode e : env) {
                if (e.path("name").asText().matches("(?i).*(JAAS|PASSWORD|SECRET|TOKEN|KEY).*")) {
                    assertThat(e.has("value")).as("secret-like variable %s is not inlined", e.path("name").asText()).isFalse();
                }
            }
        }
        assertThat(v.rendered.text).as("no credential text in the manifests")
                .doesNotContain("LoginModule").doesNotContainIgnoringCase("password=");
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void podsRunAsNonRootOnAReadOnlyRootFilesystem(Values v) {
        JsonNode flinkPod = v.rendered.one("FlinkDeployment").path("spec").path("podTemplate").path("spec");
        JsonNode servicePod = v.rendered.one("Deployment").path("spec").path("template").path("spec");
        for (JsonNode pod : List.of(flinkPod, servicePod)) {
            JsonNode sc = pod.path("securityContext");
            assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(sc.path("runAsUser").asInt()).isPositive();
            assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            for (JsonNode c : pod.path("containers")) {
                JsonNode csc = c.path("securityContext");
                assertThat(csc.path("readOnlyRootFilesystem").asBoolean()).as(c.path("name").asText()).isTrue();
                assertThat(csc.path("allowPrivilegeEscalation").asBoolean(true)).as(c.path("name").asText()).isFalse();
                assertThat(texts(csc.path("capabilities").path("drop"))).as(c.path("name").asText()).contains("ALL");
                JsonNode tmp = c.path("volumeMounts").findParents("mountPath").stream()
                        .filter(m -> m.path("mountPath").asText().equals("/tmp")).findFirst().orElseThrow();
                assertThat(byName(pod.path("volumes"), tmp.path("name").asText()).has("emptyDir"))
                        .as("/tmp is an emptyDir in " + c.path("name").asText()).isTrue();
            }
        }
        assertThat(servicePod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void everyObjectCarriesTheCommonLabels(Values v) {
        for (JsonNode o : v.rendered.objects) {
            Map<String, String> labels = fields(o.path("metadata").path("labels"));
            String what = o.path("kind").asText() + " " + o.path("metadata").path("name").asText();
            assertThat(labels).as(what).containsAllEntriesOf(Map.of(
                    "app.kubernetes.io/name", "gridtier",
                    "app.kubernetes.io/instance", "gridtier",
                    "app.kubernetes.io/managed-by", "Helm",
                    "app.kubernetes.io/part-of", "gridtier",
                    "app.kubernetes.io/version", "0.1.0",
                    "helm.sh/chart", "gridtier-0.1.0"));
            assertThat(labels).as(what).containsKey("app.kubernetes.io/component");
            if (v == Values.PRODUCTION) {
                assertThat(labels).as(what).containsEntry("team", "customer-analytics");
            }
            assertThat(o.path("metadata").path("namespace").asText()).as(what).isNotEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void theServiceIsProbedAndSelectsOnlyItsPods(Values v) {
        JsonNode deployment = v.rendered.one("Deployment");
        Map<String, String> selector = fields(deployment.path("spec").path("selector").path("matchLabels"));
        assertThat(selector).containsEntry("app.kubernetes.io/component", "tier-service");
        assertThat(fields(deployment.path("spec").path("template").path("metadata").path("labels"))).containsAllEntriesOf(selector);
        assertThat(fields(v.rendered.one("Service").path("spec").path("selector"))).isEqualTo(selector);
        assertThat(fields(v.rendered.one("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"))).isEqualTo(selector);

        JsonNode c = serviceContainer(v.rendered);
        assertThat(byName(c.path("ports"), "http").path("containerPort").asInt()).isEqualTo(8080);
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/ready");
        assertThat(c.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("http");

        Map<String, String> flinkPods = fields(v.rendered.one("FlinkDeployment").path("spec").path("podTemplate").path("metadata").path("labels"));
        assertThat(flinkPods).as("the Service must not select the Flink pods").doesNotContainEntry("app.kubernetes.io/component", "tier-service");
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void monitorsAndPoliciesSelectThePodsTheyMeanToSelect(Values v) {
        Map<String, String> flinkPods = fields(v.rendered.one("FlinkDeployment").path("spec").path("podTemplate").path("metadata").path("labels"));
        JsonNode podMonitor = v.rendered.one("PodMonitor").path("spec");
        assertThat(flinkPods).containsAllEntriesOf(fields(podMonitor.path("selector").path("matchLabels")));
        JsonNode endpoint = podMonitor.path("podMetricsEndpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
        assertThat(endpoint.path("relabelings").findValuesAsText("replacement")).contains("gridtier-flink");

        JsonNode serviceMonitor = v.rendered.one("ServiceMonitor").path("spec");
        assertThat(fields(v.rendered.one("Service").path("metadata").path("labels")))
                .containsAllEntriesOf(fields(serviceMonitor.path("selector").path("matchLabels")))
                .containsEntry("app.kubernetes.io/component", "tier-service");
        assertThat(serviceMonitor.path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        assertThat(serviceMonitor.path("endpoints").get(0).path("relabelings").findValuesAsText("replacement"))
                .contains("gridtier-tier-service");
        if (v == Values.PRODUCTION) {
            assertThat(serviceMonitor.path("endpoints").get(0).path("authorization").path("credentials").path("name").asText())
                    .isEqualTo("gridtier-metrics-token");
            for (String kind : List.of("PodMonitor", "ServiceMonitor", "PrometheusRule")) {
                assertThat(fields(v.rendered.one(kind).path("metadata").path("labels")))
                        .containsEntry("release", "kube-prometheus-stack");
            }
        }

        List<JsonNode> policies = v.rendered.ofKind("NetworkPolicy");
        JsonNode flinkPolicy = policies.stream().filter(p -> flinkPods.entrySet().containsAll(
                fields(p.path("spec").path("podSelector").path("matchLabels")).entrySet())).findFirst().orElseThrow();
        assertThat(flinkPolicy.path("spec").path("ingress").findValuesAsText("port")).contains("9249", "8081");
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void dashboardsAreLabelledConfigMapsOfValidJson(Values v) throws IOException {
        List<JsonNode> dashboards = v.rendered.ofKind("ConfigMap").stream()
                .filter(cm -> "1".equals(cm.path("metadata").path("labels").path("grafana_dashboard").asText()))
                .collect(Collectors.toList());
        assertThat(dashboards).hasSize(MetricNamesTest.dashboardFiles().size()).hasSizeGreaterThanOrEqualTo(2);
        List<String> uids = new ArrayList<>();
        for (JsonNode cm : dashboards) {
            assertThat(cm.path("data").size()).isEqualTo(1);
            Map.Entry<String, JsonNode> file = cm.path("data").fields().next();
            assertThat(file.getKey()).endsWith(".json");
            JsonNode d = Manifests.JSON.readTree(file.getValue().asText());
            assertThat(d.path("title").asText()).startsWith("GridTier / ");
            uids.add(d.path("uid").asText());
            assertThat(MetricNamesTest.allPanels(d)).isNotEmpty();
            for (JsonNode panel : MetricNamesTest.allPanels(d)) {
                if (!"row".equals(panel.path("type").asText())) {
                    assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
                }
            }
        }
        assertThat(uids).doesNotHaveDuplicates().doesNotContain("");
        if (v == Values.PRODUCTION) {
            assertThat(dashboards).allSatisfy(cm -> assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("monitoring"));
        }
    }

    @ParameterizedTest
    @EnumSource(Values.class)
    void thePrometheusRuleHoldsTheRulesFile(Values v) {
        JsonNode spec = v.rendered.one("PrometheusRule").path("spec");
        JsonNode file = Manifests.yaml(Repo.read(Repo.RULES));
        if (v == Values.DEFAULT) {
            assertThat(spec).isEqualTo(file);
        } else {
            List<String> runbooks = spec.findValuesAsText("runbook");
            assertThat(runbooks).hasSize(file.findValuesAsText("runbook").size())
                    .allSatisfy(r -> assertThat(r).startsWith("https://git.example.com/gridtier/gridtier/-/blob/main/config/prometheus/RUNBOOK.md#"));
            assertThat(spec.findValuesAsText("expr")).isEqualTo(file.findValuesAsText("expr"));
        }
    }

    @Test
    void eachPartCanBeSwitchedOff() {
        Manifests none = Manifests.render("--set", "monitoring.podMonitor.enabled=false",
                "--set", "monitoring.serviceMonitor.enabled=false", "--set", "monitoring.prometheusRule.enabled=false",
                "--set", "monitoring.dashboards.enabled=false", "--set", "networkPolicy.enabled=false",
                "--set", "tierService.podDisruptionBudget.enabled=false");
        assertThat(none.kinds()).containsExactlyInAnyOrder("ConfigMap", "Deployment", "FlinkDeployment", "Service");

        Manifests jobOnly = Manifests.render("--set", "tierService.enabled=false");
        assertThat(jobOnly.kinds()).doesNotContain("Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor")
                .contains("FlinkDeployment", "PodMonitor");
        Manifests serviceOnly = Manifests.render("--set", "job.enabled=false");
        assertThat(serviceOnly.kinds()).doesNotContain("FlinkDeployment", "PodMonitor").contains("Deployment", "ServiceMonitor");
        assertThat(serviceOnly.ofKind("ConfigMap")).noneMatch(cm -> cm.path("metadata").path("name").asText().endsWith("-job-config"));
    }

    @Test
    void theIngressRoutesToTheService() {
        JsonNode ingress = Values.PRODUCTION.rendered.one("Ingress").path("spec");
        assertThat(ingress.path("ingressClassName").asText()).isEqualTo("nginx");
        JsonNode backend = ingress.path("rules").get(0).path("http").path("paths").get(0).path("backend").path("service");
        assertThat(backend.path("name").asText())
                .isEqualTo(Values.PRODUCTION.rendered.one("Service").path("metadata").path("name").asText());
        assertThat(backend.path("port").path("number").asInt()).isEqualTo(8080);
        assertThat(ingress.path("tls").get(0).path("secretName").asText()).isEqualTo("gridtier-prod-tls");
    }

    // ------------------------------------------------------------------------------------------

    static JsonNode flinkContainer(JsonNode flinkDeployment) {
        return byName(flinkDeployment.path("spec").path("podTemplate").path("spec").path("containers"), "flink-main-container");
    }

    static JsonNode serviceContainer(Manifests m) {
        return byName(m.one("Deployment").path("spec").path("template").path("spec").path("containers"), "tier-service");
    }

    static JsonNode configMap(Manifests m, String name) {
        return m.ofKind("ConfigMap").stream().filter(cm -> cm.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    static String checksum(Manifests m) {
        return m.one("FlinkDeployment").path("spec").path("podTemplate").path("metadata").path("annotations")
                .path("checksum/config").asText();
    }

    static JsonNode byName(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (name.equals(n.path("name").asText())) {
                return n;
            }
        }
        throw new AssertionError("no entry named " + name + " in " + list);
    }

    static String secretRef(JsonNode env, String variable) {
        JsonNode ref = byName(env, variable).path("valueFrom").path("secretKeyRef");
        assertThat(ref.isMissingNode()).as(variable + " comes from a Secret").isFalse();
        return ref.path("name").asText();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, String> fields(JsonNode object) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
