package io.gridtier.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A values file with a wrong value is refused by helm (values.schema.json or the chart's checks) with a message naming it. */
class ValuesSchemaIT {

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                Arguments.of("parallelism-zero", "job:\n  parallelism: 0\n",
                        new String[] {"/job/parallelism", "minimum: got 0, want 1"}),
                Arguments.of("bootstrap-servers-missing", "kafka:\n  bootstrapServers: null\n",
                        new String[] {"/kafka", "missing property 'bootstrapServers'"}),
                Arguments.of("bootstrap-servers-empty", "kafka:\n  bootstrapServers: \"\"\n",
                        new String[] {"/kafka/bootstrapServers"}),
                Arguments.of("bootstrap-servers-without-port", "kafka:\n  bootstrapServers: kafka.example.com\n",
                        new String[] {"/kafka/bootstrapServers", "does not match pattern"}),
                Arguments.of("upgrade-mode-unknown", "job:\n  upgradeMode: latest\n",
                        new String[] {"/job/upgradeMode", "'savepoint', 'last-state', 'stateless'"}),
                Arguments.of("checkpoint-dir-not-a-uri", "job:\n  checkpoints:\n    dir: /data/checkpoints\n",
                        new String[] {"/job/checkpoints/dir", "does not match pattern"}),
                Arguments.of("inline-kafka-password", "kafka:\n  security:\n    password: hunter2\n",
                        new String[] {"/kafka/security", "additional properties 'password' not allowed"}),
                Arguments.of("sasl-without-secret", "kafka:\n  security:\n    existingSecret: \"\"\n",
                        new String[] {"/kafka/security/existingSecret"}),
                Arguments.of("secret-in-plain-env", "job:\n  env:\n    - name: KAFKA_PASSWORD\n      value: hunter2\n",
                        new String[] {"/job/env/0/value", "maxLength: got 7, want 0"}),
                Arguments.of("root-pods", "tierService:\n  podSecurityContext:\n    runAsNonRoot: false\n",
                        new String[] {"/tierService/podSecurityContext/runAsNonRoot"}),
                Arguments.of("managed-memory-garbage", "job:\n  taskManager:\n    managedMemory: plenty\n",
                        new String[] {"/job/taskManager/managedMemory"}),
                Arguments.of("misspelt-key", "job:\n  paralelism: 4\n",
                        new String[] {"/job", "additional properties 'paralelism' not allowed"}),
                Arguments.of("last-state-without-ha", "job:\n  upgradeMode: last-state\n  highAvailability:\n    enabled: false\n",
                        new String[] {"job.upgradeMode last-state needs job.highAvailability.enabled: true"}),
                Arguments.of("service-without-token-secret", "tierService:\n  apiTokens:\n    existingSecret: \"\"\n",
                        new String[] {"tierService.apiTokens.existingSecret"}),
                Arguments.of("history-retention-in-months", "tierService:\n  historyRetention: 13 months\n",
                        new String[] {"/tierService/historyRetention"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void helmRefusesWrongValuesWithAClearMessage(String name, String values, String[] expected) {
        Path file = Repo.write(Repo.workDir("schema").resolve(name + ".yaml"), values);
        Tools.Result template = Manifests.renderRaw("-f", file.toString());
        assertThat(template.ok()).as("helm template must refuse %s:\n%s", name, values).isFalse();
        assertThat(template.stderr()).contains(expected);

        if (expected[0].startsWith("/")) {
            // a schema violation; helm lint treats the templates' own fail() as information only
            Tools.Result lint = Tools.helm("lint", "--strict", Repo.CHART.toString(), "-f", file.toString());
            assertThat(lint.ok()).as("helm lint must refuse %s", name).isFalse();
            assertThat(lint.stdout() + lint.stderr()).contains(expected[0]);
        }
    }

    @Test
    void rightValuesPass() {
        Path file = Repo.write(Repo.workDir("schema").resolve("right.yaml"),
                "job:\n  parallelism: 4\n  upgradeMode: last-state\nkafka:\n  security:\n    protocol: SSL\n    existingSecret: \"\"\n");
        Tools.Result r = Manifests.renderRaw("-f", file.toString());
        assertThat(r.ok()).as(r.describe()).isTrue();
        Manifests m = Manifests.parse(r.stdout());
        assertThat(m.one("FlinkDeployment").path("spec").path("job").path("parallelism").asInt()).isEqualTo(4);
        assertThat(m.text).doesNotContain("GRIDTIER_KAFKA_SASL_JAAS_CONFIG");
    }
}
