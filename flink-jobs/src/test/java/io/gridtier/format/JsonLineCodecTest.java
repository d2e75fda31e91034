package io.gridtier.format;

import io.gridtier.schema.BillIssued;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;
import io.gridtier.schema.SegmentAlert;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonLineCodecTest {
    private final JsonLineCodec codec = new JsonLineCodec(ZoneId.of("Asia/Shanghai"));

    @Test
    void readsTheContractsFormatAndWritesItBack() throws Exception {
        String line = "{\"type\":\"MeterReading\",\"readingId\":\"R1\",\"customerId\":\"C1\",\"meterId\":\"M1\","
                + "\"intervalEnd\":\"2016-09-01T00:15:00+08:00\",\"intervalMinutes\":15,\"kwh\":1.5,\"quality\":\"ACTUAL\"}";
        MeterReading r = (MeterReading) codec.decode(line);
        assertThat(r.getIntervalEnd()).isEqualTo(Instant.parse("2016-08-31T16:15:00Z"));
        assertThat(r.getQuality()).isEqualTo(ReadingQuality.ACTUAL);
        assertThat(codec.encode(r)).isEqualTo(line);
    }

    @Test
    void moneyIsADecimalNumberAndDatesAreIsoDates() throws Exception {
        String line = "{\"type\":\"BillIssued\",\"billId\":\"B1\",\"customerId\":\"C1\",\"periodStart\":\"2016-08-01\","
                + "\"periodEnd\":\"2016-08-31\",\"kwh\":300.0,\"amountDue\":240.5,\"dueDate\":\"2016-09-20\","
                + "\"issuedAt\":\"2016-09-01T09:00:00+08:00\"}";
        BillIssued b = (BillIssued) codec.decode(line);
        assertThat(b.getAmountDue()).isEqualTo(new BigDecimal("240.50"));
        assertThat(b.getDueDate()).isEqualTo(LocalDate.of(2016, 9, 20));
        assertThat(codec.decode(codec.encode(b))).isEqualTo(b);
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "not json at all | UNPARSEABLE | not JSON",
            "[1,2] | UNPARSEABLE | one JSON object",
            "{\"readingId\":\"R1\"} | MISSING_FIELD | 'type'",
            "{\"type\":\"Invoice\"} | UNKNOWN_TYPE | unknown record type 'Invoice'",
            "{\"type\":\"MeterReading\",\"readingId\":\"R1\",\"customerId\":\"C1\",\"meterId\":\"M1\",\"intervalMinutes\":15,\"kwh\":1.5,\"quality\":\"ACTUAL\"} | MISSING_FIELD | 'intervalEnd' is missing",
            "{\"type\":\"MeterReading\",\"readingId\":\"R1\",\"customerId\":\"C1\",\"meterId\":\"M1\",\"intervalEnd\":\"2016-09-01T00:15:00\",\"intervalMinutes\":15,\"kwh\":1.5,\"quality\":\"ACTUAL\"} | INVALID_VALUE | with offset",
            "{\"type\":\"MeterReading\",\"readingId\":\"R1\",\"customerId\":\"C1\",\"meterId\":\"M1\",\"intervalEnd\":\"2016-09-01T00:15:00+08:00\",\"intervalMinutes\":15,\"kwh\":\"lots\",\"quality\":\"ACTUAL\"} | INVALID_VALUE | 'kwh' must be a number",
            "{\"type\":\"MeterReading\",\"readingId\":\"R1\",\"customerId\":\"C1\",\"meterId\":\"M1\",\"intervalEnd\":\"2016-09-01T00:15:00+08:00\",\"intervalMinutes\":15,\"kwh\":1,\"quality\":\"GUESSED\"} | INVALID_VALUE | must be one of [ACTUAL, ESTIMATED, CORRECTED]",
            "{\"type\":\"BillIssued\",\"billId\":\"B1\",\"customerId\":\"C1\",\"periodStart\":\"2016-08-01\",\"periodEnd\":\"2016-08-31\",\"kwh\":1,\"amountDue\":1.005,\"dueDate\":\"2016-09-20\",\"issuedAt\":\"2016-09-01T09:00:00+08:00\"} | INVALID_VALUE | more than 2 decimals",
    })
    void aBadLineSaysWhyWithItsDeadLetterReason(String line, DeadLetterReason reason, String detail) {
        assertThatThrownBy(() -> codec.decode(line)).isInstanceOfSatisfying(BadRecordException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(detail);
        });
    }

    @Test
    void alertLinesCarryTheAlertTypeNotTheRecordName() throws Exception {
        String line = "{\"alertId\":\"a\",\"customerId\":\"C1\",\"type\":\"KEY_ACCOUNT_ENTERED\",\"previous\":\"HIGH_VALUE\","
                + "\"current\":\"KEY_ACCOUNT\",\"segment\":{\"customerId\":\"C1\",\"category\":\"LARGE_INDUSTRIAL\","
                + "\"valueTier\":\"KEY_ACCOUNT\",\"valueScore\":80.0,\"potentialKeyAccount\":false,\"churnRisk\":\"LOW\","
                + "\"churnScore\":0.0,\"creditRating\":\"A\",\"creditScore\":100.0,\"factors\":[],\"recommendedActions\":[],"
                + "\"tierSince\":\"2016-09-01T00:00:00+08:00\",\"modelVersion\":\"m\",\"asOf\":\"2016-09-01T00:00:00+08:00\","
                + "\"usageProfile\":null,\"peakShare\":null,\"flatShare\":null,\"valleyShare\":null},"
                + "\"recommendedAction\":\"x\",\"modelVersion\":\"m\",\"eventTime\":\"2016-09-01T00:00:00+08:00\"}";
        SpecificRecord alert = codec.decode(line, SegmentAlert.getClassSchema());
        assertThat(codec.encode(alert)).isEqualTo(line);
    }

    @Test
    void bytesThatAreNotTextAreWrittenAsBase64() {
        byte[] garbage = {(byte) 0xff, 0x00, (byte) 0xfe};
        String text = JsonLineCodec.bytesToText(garbage);
        assertThat(text).startsWith("base64:");
        assertThat(JsonLineCodec.textToBytes(text)).isEqualTo(garbage);
        assertThat(JsonLineCodec.bytesToText("{\"a\":1}".getBytes())).isEqualTo("{\"a\":1}");
    }
}
