package io.gridtier.tierservice.store;

import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.ValueTier;
import io.gridtier.tierservice.bench.SyntheticSegments;
import io.gridtier.tierservice.support.Segments;
import io.gridtier.tierservice.support.TestWork;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SegmentStoreTest {
    private Path dir;
    private SegmentStore store;

    @BeforeEach
    void open() {
        dir = TestWork.newDir("store");
        store = SegmentStore.open(dir.resolve("db"), 16L << 20);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        TestWork.deleteTree(dir);
    }

    @Test
    void keepsTheCurrentSegmentItsVersionsAndTheTierChanges() {
        CustomerSegment v1 = Segments.of("C1", 40, 10, 95, "2016-01-01T00:00:00Z");
        CustomerSegment v2 = Segments.of("C1", 45, 12, 95, "2016-02-01T00:00:00Z");
        CustomerSegment v3 = Segments.of("C1", 60, 50, 95, "2016-03-01T00:00:00Z");
        Segments.put(store, v1);
        Segments.put(store, v2);
        Segments.put(store, v3);

        assertThat(store.get("C1")).get().extracting(s -> s.segment().getAsOf()).isEqualTo(v3.getAsOf());
        assertThat(store.get("C2")).isEmpty();
        assertThat(store.customerCount()).isEqualTo(1);

        List<HistoryEntry> history = store.history("C1", null, 10).items();
        assertThat(history).extracting(HistoryEntry::kind).containsExactly("SEGMENT_CHANGE", "FIRST_SEEN");
        assertThat(history.get(0).time()).isEqualTo(v3.getAsOf().toEpochMilli());
        assertThat(history.get(0).changes()).containsExactlyInAnyOrder(
                new HistoryEntry.Change("valueTier", "STANDARD", "HIGH_VALUE"),
                new HistoryEntry.Change("churnRisk", "LOW", "ELEVATED"));

        assertThat(store.at("C1", Instant.parse("2016-02-15T00:00:00Z"))).get()
                .extracting(s -> s.segment().getValueScore()).isEqualTo(v2.getValueScore());
        assertThat(store.at("C1", v3.getAsOf())).get().extracting(s -> s.segment().getAsOf()).isEqualTo(v3.getAsOf());
        assertThat(store.at("C1", Instant.parse("2015-12-31T23:59:59Z"))).isEmpty();
        assertThat(store.at("C10", Instant.parse("2017-01-01T00:00:00Z"))).as("a prefix of another id").isEmpty();
        assertThat(store.earliestVersion("C1")).contains(v1.getAsOf());
    }

    @Test
    void anOlderEvaluationArrivingLateIsKeptAsAVersionButDoesNotReplaceTheCurrentOne() {
        CustomerSegment march = Segments.of("C1", 80, 10, 95, "2016-03-01T00:00:00Z");
        CustomerSegment february = Segments.of("C1", 40, 70, 95, "2016-02-01T00:00:00Z");
        Segments.put(store, march);
        Segments.put(store, february);
        assertThat(store.get("C1")).get().extracting(s -> s.segment().getValueTier()).isEqualTo(ValueTier.KEY_ACCOUNT);
        assertThat(store.at("C1", Instant.parse("2016-02-15T00:00:00Z"))).get()
                .extracting(s -> s.segment().getValueTier()).isEqualTo(ValueTier.STANDARD);
        assertThat(store.history("C1", null, 10).items()).extracting(HistoryEntry::kind).containsExactly("FIRST_SEEN");
        assertThat(store.list(new SegmentFilter(Set.of(ValueTier.KEY_ACCOUNT), Set.of(), Set.of(), Set.of()), null, 10)
                .items()).hasSize(1);
    }

    @Test
    void factorsAddUpToEachScoreAfterTheRoundTrip() {
        CustomerSegment s = Segments.of("C7", 77.7, 66.6, 71.1, "2016-05-01T00:00:00Z");
        Segments.put(store, s);
        CustomerSegment back = store.get("C7").orElseThrow().segment();
        assertThat(back).isEqualTo(s);
        for (ScoreKind kind : ScoreKind.values()) {
            double sum = back.getFactors().stream().filter(f -> f.getScore() == kind).mapToDouble(f -> f.getContribution()).sum();
            double score = switch (kind) {
                case VALUE -> back.getValueScore();
                case CHURN -> back.getChurnScore();
                case CREDIT -> back.getCreditScore();
            };
            assertThat(sum).as(kind.name()).isCloseTo(score, within(0.01));
        }
    }

    @Test
    void listsByTierInIdOrderAcrossIndexPrefixesAndFollowsTierChanges() {
        List<String> keyAccounts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = String.format("K%02d", i);
            double value = i % 3 == 0 ? 80 : i % 3 == 1 ? 60 : 40;
            double churn = i % 2 == 0 ? 70 : 10;
            double credit = i % 5 == 0 ? 50 : 95;
            Segments.put(store, Segments.of(id, value, churn, credit, "2016-06-01T00:00:00Z"));
            if (i % 3 == 0) {
                keyAccounts.add(id);
            }
        }
        SegmentFilter keyAccountsOnly = new SegmentFilter(Set.of(ValueTier.KEY_ACCOUNT), Set.of(), Set.of(), Set.of());
        assertThat(store.list(keyAccountsOnly, null, 100).items()).extracting(s -> s.segment().getCustomerId())
                .containsExactlyElementsOf(keyAccounts);

        SegmentFilter keyAtHighChurn = new SegmentFilter(Set.of(ValueTier.KEY_ACCOUNT), Set.of(ChurnRisk.HIGH), Set.of(), Set.of());
        assertThat(store.list(keyAtHighChurn, null, 100).items()).extracting(s -> s.segment().getCustomerId())
                .containsExactly("K00", "K06", "K12", "K18", "K24");

        List<String> all = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page<StoredSegment> page = store.list(SegmentFilter.any(), after, 7);
            page.items().forEach(s -> all.add(s.segment().getCustomerId()));
            after = page.nextCursor() == null ? null : new String(page.nextCursor(), StandardCharsets.UTF_8);
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(5);
        assertThat(all).hasSize(30).doesNotHaveDuplicates().isSorted();

        Segments.put(store, Segments.of("K00", 40, 10, 95, "2016-07-01T00:00:00Z"));
        assertThat(store.list(keyAccountsOnly, null, 100).items()).extracting(s -> s.segment().getCustomerId())
                .doesNotContain("K00").hasSize(keyAccounts.size() - 1);
        assertThat(store.customerCount()).isEqualTo(30);
    }

    @Test
    void offsetsAreWrittenWithTheDataAndSurviveAReopen() throws Exception {
        CustomerSegment s = Segments.of("C1", 80, 10, 95, "2016-01-01T00:00:00Z");
        try (SegmentStore.Batch b = store.newBatch()) {
            b.segment("C1", AvroCodec.encode(s), 1L, 2L);
            b.offset(new TopicPartition("customer-segments", 1), 43L);
            b.offset(new TopicPartition("segment-alerts", 0), 7L);
            b.commit();
        }
        store.close();
        store = SegmentStore.open(dir.resolve("db"), 16L << 20);
        assertThat(store.offsets()).isEqualTo(Map.of(new TopicPartition("customer-segments", 1), 43L,
                new TopicPartition("segment-alerts", 0), 7L));
        assertThat(store.get("C1")).get().extracting(StoredSegment::producedAt, StoredSegment::receivedAt)
                .containsExactly(1L, 2L);
        assertThat(store.customerCount()).isEqualTo(1);
    }

    @Test
    void aTombstoneRemovesTheCustomerWithItsVersionsAndHistory() throws Exception {
        CustomerSegment s = Segments.of("C1", 80, 10, 95, "2016-01-01T00:00:00Z");
        Segments.put(store, s);
        Segments.put(store, SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT"));
        Segments.put(store, Segments.of("C2", 80, 10, 95, "2016-01-01T00:00:00Z"));
        try (SegmentStore.Batch b = store.newBatch()) {
            b.segment("C1", null, 0, 0);
            b.commit();
        }
        assertThat(store.get("C1")).isEmpty();
        assertThat(store.at("C1", Instant.parse("2017-01-01T00:00:00Z"))).isEmpty();
        assertThat(store.history("C1", null, 10).items()).isEmpty();
        assertThat(store.list(SegmentFilter.any(), null, 10).items()).extracting(x -> x.segment().getCustomerId())
                .containsExactly("C2");
        assertThat(store.customerCount()).isEqualTo(1);
    }

    @Test
    void anAlertReadTwiceIsKeptOnce() {
        CustomerSegment s = Segments.of("C1", 80, 10, 95, "2016-01-01T00:00:00Z");
        var alert = SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT");
        Segments.put(store, alert);
        Segments.put(store, alert);
        assertThat(store.history("C1", null, 10).items()).singleElement()
                .satisfies(e -> {
                    assertThat(e.kind()).isEqualTo("ALERT");
                    assertThat(e.type()).isEqualTo("KEY_ACCOUNT_ENTERED");
                    assertThat(e.recommendedAction()).startsWith("Key account:");
                });
    }

    @Test
    void historyPagesNewestFirstWithoutGapsOrRepeats() {
        for (int m = 1; m <= 9; m++) {
            // alternate tiers so that each month is a change
            Segments.put(store, Segments.of("C1", m % 2 == 0 ? 80 : 40, 10, 95, String.format("2016-%02d-01T00:00:00Z", m)));
        }
        List<Long> times = new ArrayList<>();
        byte[] cursor = null;
        do {
            Page<HistoryEntry> page = store.history("C1", cursor, 4);
            page.items().forEach(e -> times.add(e.time()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(times).hasSize(9).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void recordsThatAreNotSegmentsOrHaveBadIdsAreSkipped() throws Exception {
        CustomerSegment s = Segments.of("C1", 80, 10, 95, "2016-01-01T00:00:00Z");
        try (SegmentStore.Batch b = store.newBatch()) {
            assertThat(b.segment("C2", AvroCodec.encode(s), 0, 0)).as("key differs from customerId").isFalse();
            CustomerSegment bad = CustomerSegment.newBuilder(s).setCustomerId("bad id/with slash").build();
            assertThat(b.segment(null, AvroCodec.encode(bad), 0, 0)).as("invalid id").isFalse();
            assertThatThrownBy(() -> b.segment("C1", new byte[] {1, 2, 3}, 0, 0))
                    .isInstanceOf(AvroCodec.MalformedRecordException.class);
            assertThat(b.commit().skipped()).isEqualTo(2);
        }
        assertThat(store.customerCount()).isZero();
    }

    @Test
    void aCorruptStoreIsMovedAsideAndStartedAfresh() throws IOException {
        Segments.put(store, Segments.of("C1", 80, 10, 95, "2016-01-01T00:00:00Z"));
        store.close();
        Files.writeString(dir.resolve("db/CURRENT"), "garbage-without-newline");
        store = SegmentStore.open(dir.resolve("db"), 16L << 20);
        assertThat(store.customerCount()).isZero();
        assertThat(store.offsets()).isEmpty();
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("db.corrupt-"));
        }
    }

    @Test
    void updatesOfOneCustomerInOneBatchEndAsIfAppliedOneByOne() throws Exception {
        CustomerSegment jan = Segments.of("C1", 40, 10, 95, "2016-01-01T00:00:00Z");
        CustomerSegment feb = Segments.of("C1", 80, 10, 95, "2016-02-01T00:00:00Z");
        CustomerSegment mar = Segments.of("C1", 60, 70, 95, "2016-03-01T00:00:00Z");
        CustomerSegment apr = Segments.of("C1", 40, 10, 50, "2016-04-01T00:00:00Z");
        CustomerSegment other = Segments.of("C0", 80, 10, 95, "2016-02-01T00:00:00Z");
        try (SegmentStore.Batch b = store.newBatch()) {
            b.segment("C1", AvroCodec.encode(jan), 0, 0);
            b.segment("C0", AvroCodec.encode(other), 0, 0);
            b.segment("C1", AvroCodec.encode(feb), 0, 0);
            b.alert("C1", AvroCodec.encode(SyntheticSegments.alert(feb, AlertType.KEY_ACCOUNT_ENTERED, "STANDARD", "KEY_ACCOUNT")));
            b.segment("C1", null, 0, 0); // the tombstone takes everything before it ...
            b.segment("C1", AvroCodec.encode(mar), 0, 0); // ... and nothing after it
            b.segment("C1", AvroCodec.encode(apr), 0, 0);
            b.commit();
        }
        assertThat(store.get("C1")).get().extracting(x -> x.segment().getAsOf()).isEqualTo(apr.getAsOf());
        assertThat(store.earliestVersion("C1")).contains(mar.getAsOf());
        assertThat(store.history("C1", null, 10).items()).extracting(HistoryEntry::kind, HistoryEntry::time)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SEGMENT_CHANGE", apr.getAsOf().toEpochMilli()),
                        org.assertj.core.groups.Tuple.tuple("FIRST_SEEN", mar.getAsOf().toEpochMilli()));
        SegmentFilter highValue = new SegmentFilter(Set.of(ValueTier.HIGH_VALUE), Set.of(), Set.of(), Set.of());
        SegmentFilter standard = new SegmentFilter(Set.of(ValueTier.STANDARD), Set.of(), Set.of(), Set.of());
        assertThat(store.list(highValue, null, 10).items()).as("the index moved off March's tier").isEmpty();
        assertThat(store.list(standard, null, 10).items()).extracting(x -> x.segment().getCustomerId())
                .containsExactly("C1");
        assertThat(store.list(SegmentFilter.any(), null, 10).items()).hasSize(2);
        assertThat(store.customerCount()).isEqualTo(2);
    }

    /** Two years of monthly segments, each a tier change, with an alert each time. */
    private static List<CustomerSegment> twoYearsOfChanges(String id) {
        List<CustomerSegment> months = new ArrayList<>();
        for (int m = 0; m < 24; m++) {
            String asOf = String.format("%d-%02d-01T00:00:00Z", 2015 + m / 12, m % 12 + 1);
            months.add(Segments.of(id, m % 2 == 0 ? 80 : 40, 10, 95, asOf));
        }
        return months;
    }

    private void putWithAlerts(List<CustomerSegment> months) {
        for (int m = 0; m < months.size(); m++) {
            CustomerSegment s = months.get(m);
            Segments.put(store, s);
            if (m > 0) {
                Segments.put(store, m % 2 == 0
                        ? SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_ENTERED, "STANDARD", "KEY_ACCOUNT")
                        : SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_EXITED, "KEY_ACCOUNT", "STANDARD"));
            }
        }
    }

    private List<HistoryEntry> allHistory(String id) {
        return store.history(id, null, 1000).items();
    }

    @Test
    void pruningKeepsTheRetentionBeforeTheCustomersNewestEventAndTheVersionInForceAtItsStart() {
        List<CustomerSegment> months = twoYearsOfChanges("C1");
        putWithAlerts(months);
        CustomerSegment recent = Segments.of("C2", 80, 10, 95, "2016-11-01T00:00:00Z");
        Segments.put(store, recent);
        assertThat(allHistory("C1")).hasSize(24 + 23);

        SegmentStore.PruneResult r = store.prune(java.time.Duration.ofDays(400), null, 100);

        Instant newest = months.get(23).getAsOf(); // 2016-12-01
        Instant cutoff = newest.minus(java.time.Duration.ofDays(400)); // 2015-10-28
        List<HistoryEntry> kept = allHistory("C1");
        // 2015-11 ... 2016-12: 14 months, a change and an alert each
        assertThat(kept).hasSize(28).allSatisfy(e -> assertThat(e.time()).isGreaterThanOrEqualTo(cutoff.toEpochMilli()));
        assertThat(kept.get(0).time()).as("the newest is kept").isEqualTo(newest.toEpochMilli());
        assertThat(r.historyEntries()).isEqualTo(24 + 23 - 28);
        // the October 2015 version is the one in force at the cutoff: kept, with everything after it
        assertThat(store.earliestVersion("C1")).contains(months.get(9).getAsOf());
        assertThat(r.versions()).isEqualTo(9);
        assertThat(store.at("C1", cutoff.plus(java.time.Duration.ofDays(1)))).get()
                .extracting(x -> x.segment().getAsOf()).isEqualTo(months.get(9).getAsOf());
        assertThat(store.at("C1", Instant.parse("2016-03-15T00:00:00Z"))).get()
                .extracting(x -> x.segment().getAsOf()).isEqualTo(months.get(14).getAsOf());
        assertThat(store.at("C1", Instant.parse("2015-06-15T00:00:00Z"))).as("before the retention").isEmpty();
        assertThat(store.get("C1")).get().extracting(x -> x.segment().getAsOf()).isEqualTo(newest);
        // a customer with a short history loses nothing
        assertThat(allHistory("C2")).hasSize(1);
        assertThat(store.earliestVersion("C2")).contains(recent.getAsOf());
        assertThat(r.customers()).isEqualTo(2);
        assertThat(r.next()).isNull();

        SegmentStore.PruneResult again = store.prune(java.time.Duration.ofDays(400), null, 100);
        assertThat(again.historyEntries() + again.versions()).as("a second sweep finds nothing").isZero();
    }

    @Test
    void pruningInSlicesReachesEveryCustomerIncludingOnesKnownOnlyFromAlerts() {
        putWithAlerts(twoYearsOfChanges("A1"));
        putWithAlerts(twoYearsOfChanges("B1"));
        // alerts for a customer the segments topic never mentioned, two years apart
        CustomerSegment early = Segments.of("AB", 80, 10, 95, "2014-01-01T00:00:00Z");
        CustomerSegment late = Segments.of("AB", 80, 10, 95, "2016-01-01T00:00:00Z");
        Segments.put(store, SyntheticSegments.alert(early, AlertType.KEY_ACCOUNT_ENTERED, "STANDARD", "KEY_ACCOUNT"),
                SyntheticSegments.alert(late, AlertType.CHURN_RISK_RAISED, "LOW", "HIGH"));

        List<Integer> slices = new ArrayList<>();
        byte[] from = null;
        do {
            SegmentStore.PruneResult r = store.prune(java.time.Duration.ofDays(400), from, 1);
            slices.add(r.customers());
            from = r.next();
        } while (from != null);

        assertThat(slices).containsExactly(1, 1, 1);
        assertThat(allHistory("A1")).hasSize(28);
        assertThat(allHistory("B1")).hasSize(28);
        assertThat(allHistory("AB")).extracting(HistoryEntry::type).containsExactly("CHURN_RISK_RAISED");
    }

    @Test
    void pruningMeasuresFromTheNewestEventEvenWhenThatIsAnAlert() {
        List<CustomerSegment> months = twoYearsOfChanges("C1").subList(0, 6); // 2015-01 ... 2015-06
        putWithAlerts(months);
        CustomerSegment muchLater = Segments.of("C1", 80, 10, 95, "2017-01-01T00:00:00Z");
        Segments.put(store, SyntheticSegments.alert(muchLater, AlertType.CHURN_RISK_RAISED, "LOW", "HIGH"));

        store.prune(java.time.Duration.ofDays(400), null, 100);

        assertThat(allHistory("C1")).extracting(HistoryEntry::type).containsExactly("CHURN_RISK_RAISED");
        // every version is older than the retention: the one in force at its start (the current one) stays
        assertThat(store.earliestVersion("C1")).contains(months.get(5).getAsOf());
        assertThat(store.get("C1")).get().extracting(x -> x.segment().getAsOf()).isEqualTo(months.get(5).getAsOf());
    }
}
