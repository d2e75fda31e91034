package io.gridtier.ingest;

import io.gridtier.format.BadRecordException;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;
import io.gridtier.wire.CustomerIds;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validator's hostile-input rules: implausible kWh and malformed customer ids. */
class EventValidatorTest {
    private static final long NOW = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    private final EventValidator validator = new EventValidator(Duration.ofHours(1), 1_000);

    private static MeterReading reading(String customerId, int minutes, double kwh) {
        return MeterReading.newBuilder().setReadingId("R1").setCustomerId(customerId).setMeterId("M1")
                .setIntervalEnd(Instant.parse("2024-05-01T00:15:00Z")).setIntervalMinutes(minutes).setKwh(kwh)
                .setQuality(ReadingQuality.ACTUAL).build();
    }

    private static CustomerProfile profile(String customerId) {
        return CustomerProfile.newBuilder().setCustomerId(customerId).setCategory(CustomerCategory.RESIDENTIAL)
                .setIndustry(null).setVoltageKv(0.4).setContractCapacityKva(null).setAccountOpened(LocalDate.of(2010, 1, 1))
                .setContractEnd(null).setStatus(CustomerStatus.ACTIVE).setUpdatedAt(Instant.parse("2024-05-01T00:00:00Z"))
                .build();
    }

    private BadRecordException refused(SpecificRecord r) {
        try {
            validator.validate(r, NOW);
        } catch (BadRecordException e) {
            return e;
        }
        throw new AssertionError("accepted: " + r);
    }

    @ParameterizedTest(name = "{0} kWh in {1} minutes")
    @CsvSource({"1000, 60", "250, 15", "24000, 1440", "0, 5"})
    void aReadingAtThePlausibilityBoundIsAccepted(double kwh, int minutes) throws Exception {
        assertThat(validator.validate(reading("C1", minutes, kwh), NOW).reading.kwh).isEqualTo(kwh);
    }

    @ParameterizedTest(name = "{0} kWh in {1} minutes")
    @CsvSource({"1000.5, 60", "251, 15", "24001, 1440", "1E300, 60", "1E39, 1440", "Infinity, 15"})
    void aReadingAboveTheBoundForItsIntervalIsImplausible(double kwh, int minutes) {
        BadRecordException e = refused(reading("C1", minutes, kwh));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.IMPLAUSIBLE_VALUE);
        assertThat(e.getMessage()).contains("kwh " + kwh, minutes + " minutes", "validation.maxKwhPerHour");
    }

    @Test
    void everyAcceptedKwhIsAFiniteFloatInTheDaysBucket() throws Exception {
        // the bucket keeps kWh as float: a double beyond 3.4E38 would become Infinity there
        EventValidator widest = new EventValidator(Duration.ofHours(1), 1e9);
        double largest = 1e9 * 24;
        assertThat(Float.isFinite((float) widest.validate(reading("C1", 1440, largest), NOW).reading.kwh)).isTrue();
        assertThat(new EventValidator(Duration.ofHours(1)).validate(reading("C1", 60, 1_999_999), NOW).reading.kwh)
                .as("the default bound").isEqualTo(1_999_999);
    }

    @Test
    void negativeAndNotANumberStayInvalidValues() {
        assertThat(refused(reading("C1", 60, -1)).reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
        assertThat(refused(reading("C1", 60, Double.NaN)).reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"bad id", "C1/../C2", "-C1", ".C1", "C1\n", "Ç1", "C1;DROP", "C1?x=1",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void aCustomerIdOutsideThePatternIsAnInvalidValueNamingThePattern(String id) {
        for (SpecificRecord r : new SpecificRecord[] {reading(id, 60, 1), profile(id)}) {
            BadRecordException e = refused(r);
            assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
            assertThat(e.getMessage()).contains("customerId", CustomerIds.PATTERN);
        }
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"C1", "C0000001", "TC-0007", "a.b_c:d-e", "9",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void customerIdsInsideThePatternAreAccepted(String id) throws Exception {
        assertThat(validator.validate(reading(id, 60, 1), NOW).customerId).isEqualTo(id);
    }

    @Test
    void aHugeCustomerIdIsAbbreviatedInTheDetail() {
        String huge = "x ".repeat(50_000);
        BadRecordException e = refused(reading(huge, 60, 1));
        assertThat(e.getMessage()).hasSizeLessThan(400).contains("...");
    }

    @Test
    void aBlankCustomerIdIsStillAMissingField() {
        assertThat(refused(reading(" ", 60, 1)).reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
    }
}
