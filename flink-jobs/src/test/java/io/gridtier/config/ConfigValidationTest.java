package io.gridtier.config;

import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad configuration stops start-up with a message naming the key and what it should be. */
class ConfigValidationTest {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    private static final Path JOB = CONFIG_DIR.resolve("gridtier.yaml");
    private static final Path MODEL = CONFIG_DIR.resolve("model/gridtier-model-v1.yaml");

    @Test
    void theShippedConfigurationAndModelAreValid() {
        JobConfig config = JobConfig.load(JOB, List.of(), CONFIG_DIR.getParent());
        assertThat(ModelConfig.load(config.modelFile()).version()).isEqualTo("gridtier-model-1.1");
        assertThat(config.describe()).contains("readings.correctionWindowDays");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "timeZone=Mars/Olympus | timeZone: 'Mars/Olympus' is not a time zone id",
            "readings.correctionWindowDays=0 | readings.correctionWindowDays: must be a whole number above 0",
            "readings.correctionWindowDays=seven | readings.correctionWindowDays: must be a whole number",
            "readings.correctionWindowDays=500 | readings.correctionWindowDays: must be below 460",
            "readings.maxPerCustomerDay=0 | readings.maxPerCustomerDay: must be a whole number above 0",
            "readings.maxPerCustomerDay=20001 | readings.maxPerCustomerDay: must be at most 20000",
            "validation.maxKwhPerHour=0 | validation.maxKwhPerHour: must be a number above 0 and at most 1000000000",
            "validation.maxKwhPerHour=NaN | validation.maxKwhPerHour: must be a number above 0",
            "validation.maxKwhPerHour=Infinity | validation.maxKwhPerHour: must be a number above 0",
            "validation.maxKwhPerHour=lots | validation.maxKwhPerHour: must be a number above 0",
            "watermarks.maxOutOfOrderness=6h | watermarks.maxOutOfOrderness: must be an ISO-8601 duration",
            "flink.managedMemory=lots | flink.managedMemory: must be a size like 512m or 1g",
            "flink.metricsPort=prometheus | flink.metricsPort: must be empty, a port (1-65535) or a range like 9249-9259",
            "flink.metricsPort=9259-9249 | flink.metricsPort: must be empty, a port (1-65535) or a range like 9249-9259",
            "flink.metricsPort=70000 | flink.metricsPort: must be empty, a port (1-65535) or a range like 9249-9259",
            "model=/nowhere/model.yaml | model: file /nowhere/model.yaml does not exist",
            "no.such.key=1 | override of unknown key 'no.such.key'",
    })
    void aWrongJobSettingIsNamedWithWhatItShouldBe(String override, String message) {
        assertThatThrownBy(() -> JobConfig.load(JOB, List.of(override), CONFIG_DIR.getParent()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining(message);
    }

    @Test
    void aMetricsPortOrRangeTurnsOnFlinksPrometheusReporter() {
        Path work = CONFIG_DIR.getParent().resolve("flink-jobs/target/config-test");
        assertThat(io.gridtier.job.FlinkSettings.of(JobConfig.load(JOB, List.of(), CONFIG_DIR.getParent()), work, false)
                .toMap()).doesNotContainKey("metrics.reporter.prom.factory.class");
        for (String port : List.of("9249", "9249-9259")) {
            var flink = io.gridtier.job.FlinkSettings.of(
                    JobConfig.load(JOB, List.of("flink.metricsPort=" + port), CONFIG_DIR.getParent()), work, false).toMap();
            assertThat(flink).containsEntry("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory").containsEntry("metrics.reporter.prom.port", port);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'  ratingB: 70' | '  ratingB: 95' | credit.ratingA must be above credit.ratingB",
            "'KEY_ACCOUNT: {enter: 72, exit: 67}' | 'KEY_ACCOUNT: {enter: 72, exit: 80}' | tiers.KEY_ACCOUNT: exit (80.0) must not be above enter (72.0)",
            "'annualConsumption: {points: 45,' | 'annualConsumption: {points: 50,' | value: the factors' points must add up to 100, they add up to 105.0",
            "'  CREDIT_C: ' | '  CREDIT_X: ' | playbook.CREDIT_C: missing",
            "'  ratingA: 90' | '  ratingAA: 90' | unknown key 'ratingAA'",
            "'minDwellDays: 30' | 'minDwellDays: -3' | tiers.minDwellDays: must be 0 or more",
    })
    void aWrongModelParameterIsNamed(String from, String to, String message, @TempDir Path dir) throws IOException {
        String model = Files.readString(MODEL);
        assertThat(model).contains(from);
        Path broken = dir.resolve("model.yaml");
        Files.writeString(broken, model.replace(from, to));
        assertThatThrownBy(() -> ModelConfig.load(broken)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aMissingModelFileSaysSo() {
        assertThatThrownBy(() -> ModelConfig.load(Path.of("no-such-model.yaml")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("does not exist");
    }
}
