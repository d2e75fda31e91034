package io.gridtier.bench;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.RawRecord;
import io.gridtier.kafka.AvroTopicDecoder;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentReceived;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadingsWorkloadTest {
    @Test
    void aUtilityMonthHasNinetySixReadingsADayAndABillAndAPaymentPerCustomer() throws BadRecordException {
        int customers = 3;
        int perDay = 96;
        BenchCommand.Readings workload = new BenchCommand.Readings(customers, perDay, true);
        AvroTopicDecoder decoder = new AvroTopicDecoder();
        Map<String, Integer> kinds = new HashMap<>();
        long events = customers * (1 + 30L * perDay);
        long previousEnd = Long.MIN_VALUE;
        for (long i = 0; i < events; i++) {
            RawRecord r = workload.map(i);
            SpecificRecord decoded = decoder.decode(r);
            kinds.merge(decoded.getClass().getSimpleName() + (i % customers == 1 ? "@1" : ""), 1, Integer::sum);
            if (decoded instanceof BillIssued b) {
                assertEquals(LocalDate.of(2025, 1, 5), b.getIssuedAt().atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate());
                assertEquals(b.getCustomerId(), new String(r.key, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (decoded instanceof PaymentReceived p) {
                assertTrue(p.getBillId().toString().endsWith("-B0"), p.getBillId());
            }
            if (decoded instanceof MeterReading m && i % customers == 0) {
                long end = m.getIntervalEnd().toEpochMilli();
                assertTrue(end > previousEnd, "one customer's readings are in time order");
                previousEnd = end;
            }
        }
        assertEquals(1, kinds.get("CustomerProfile@1"));
        assertEquals(1, kinds.get("BillIssued@1"));
        assertEquals(1, kinds.get("PaymentReceived@1"));
        assertEquals(30 * perDay - 2, kinds.get("MeterReading@1"));
    }

    @Test
    void withoutBillingEveryEventAfterTheProfileIsAReading() throws BadRecordException {
        BenchCommand.Readings workload = new BenchCommand.Readings(2, 24);
        AvroTopicDecoder decoder = new AvroTopicDecoder();
        for (long i = 2; i < 2 * (1 + 30 * 24); i++) {
            assertTrue(decoder.decode(workload.map(i)) instanceof MeterReading, "event " + i);
        }
    }
}
