package io.gridtier.tierservice;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceConfigTest {
    private static ServiceConfig parse(Map<String, String> env, String... args) {
        return ServiceConfig.fromArgs(List.of(args), env);
    }

    @Test
    void kafkaSecretsComeFromTheEnvironmentSoTheyAreNeverOnTheCommandLine() {
        ServiceConfig config = parse(Map.of("GRIDTIER_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka...PlainLoginModule required;",
                "GRIDTIER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "GRIDTIER_KAFKA_", "ignored"), "--kafka.security.protocol", "SSL");
        assertThat(config.kafkaOverrides()).containsEntry("sasl.jaas.config", "org.apache.kafka...PlainLoginModule required;")
                .as("an explicit --kafka.* option wins").containsEntry("security.protocol", "SSL").hasSize(2);
    }

    @Test
    void historyRetentionDefaultsToAboutThirteenMonthsAndCanBeChangedOrTurnedOff() {
        assertThat(parse(Map.of()).historyRetention()).contains(Duration.ofDays(400));
        assertThat(parse(Map.of(), "--history-retention", "P430D").historyRetention()).contains(Duration.ofDays(430));
        assertThat(parse(Map.of("GRIDTIER_TIER_HISTORY_RETENTION", "none")).historyRetention()).isEmpty();
    }

    @Test
    void aRetentionThatIsNotADurationOrShorterThanADayIsRefusedByName() {
        assertThatThrownBy(() -> parse(Map.of(), "--history-retention", "13 months"))
                .isInstanceOf(ServiceConfig.ConfigException.class).hasMessageContaining("--history-retention")
                .hasMessageContaining("P400D");
        assertThatThrownBy(() -> parse(Map.of(), "--history-retention", "PT1H"))
                .isInstanceOf(ServiceConfig.ConfigException.class).hasMessageContaining("at least a day");
    }

    @Test
    void theTokensFileIsLookedAtEveryFiveSecondsAndTwentyFailuresAMinuteAreAllowedByDefault() {
        ServiceConfig defaults = parse(Map.of());
        assertThat(defaults.tokensReload()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.authFailuresPerMinute()).isEqualTo(20);
        ServiceConfig set = parse(Map.of("GRIDTIER_TIER_AUTH_FAILURES_PER_MINUTE", "0"), "--tokens-reload-seconds", "0");
        assertThat(set.tokensReload()).isZero();
        assertThat(set.authFailuresPerMinute()).as("off").isZero();
        assertThatThrownBy(() -> parse(Map.of(), "--auth-failures-per-minute", "-1"))
                .isInstanceOf(ServiceConfig.ConfigException.class).hasMessageContaining("--auth-failures-per-minute");
        assertThatThrownBy(() -> parse(Map.of(), "--tokens-reload-seconds", "soon"))
                .isInstanceOf(ServiceConfig.ConfigException.class).hasMessageContaining("--tokens-reload-seconds");
    }
}
