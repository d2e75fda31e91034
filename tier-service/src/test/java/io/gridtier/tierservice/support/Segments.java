package io.gridtier.tierservice.support;

import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.tierservice.bench.SyntheticSegments;
import io.gridtier.tierservice.store.AvroCodec;
import io.gridtier.tierservice.store.SegmentStore;
import org.rocksdb.RocksDBException;

import java.time.Instant;
import java.util.Random;

/** Segments with chosen scores (and so chosen tiers), and a way to put them straight into a store. */
public final class Segments {
    private Segments() {
    }

    /**
     * value 80 on an industrial customer: KEY_ACCOUNT; 60: HIGH_VALUE; 40: STANDARD; 20: LOW_VALUE.
     * churn 70: HIGH; 50: ELEVATED; 10: LOW. credit 95: A; 80: B; 50: C.
     */
    public static CustomerSegment of(String id, double value, double churn, double credit, String asOf) {
        return of(id, value, churn, credit, asOf, false);
    }

    /** The same with the potential-key-account flag chosen (and the playbook actions to match). */
    public static CustomerSegment of(String id, double value, double churn, double credit, String asOf,
                                     boolean potentialKeyAccount) {
        CustomerSegment s = SyntheticSegments.build(id, CustomerCategory.LARGE_INDUSTRIAL, value, churn, credit,
                new Random(id.hashCode() ^ asOf.hashCode()), Instant.parse(asOf), Instant.parse(asOf));
        s.setPotentialKeyAccount(potentialKeyAccount);
        s.setRecommendedActions(SyntheticSegments.actions(s.getValueTier(), potentialKeyAccount, s.getChurnRisk(),
                s.getCreditRating()));
        return s;
    }

    public static void put(SegmentStore store, CustomerSegment... segments) {
        try (SegmentStore.Batch b = store.newBatch()) {
            for (CustomerSegment s : segments) {
                b.segment(s.getCustomerId(), AvroCodec.encode(s), s.getAsOf().toEpochMilli() + 1000,
                        System.currentTimeMillis());
            }
            b.commit();
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void put(SegmentStore store, SegmentAlert... alerts) {
        try (SegmentStore.Batch b = store.newBatch()) {
            for (SegmentAlert a : alerts) {
                b.alert(a.getCustomerId(), AvroCodec.encode(a));
            }
            b.commit();
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }
}
