package io.gridtier.tierservice.store;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ValueTier;

import java.util.ArrayList;
import java.util.List;

/**
 * The four segment dimensions an agent or supervisor filters on, packed into four bytes (enum ordinals and
 * the potential-key-account flag). It prefixes the list index and the stored envelope, so a tier change is
 * detected and the index kept right without decoding the previous segment.
 */
public record TierKey(ValueTier valueTier, ChurnRisk churnRisk, boolean potentialKeyAccount, CreditRating creditRating) {
    public static final int LENGTH = 4;

    public static TierKey of(CustomerSegment s) {
        return new TierKey(s.getValueTier(), s.getChurnRisk(), s.getPotentialKeyAccount(), s.getCreditRating());
    }

    public byte[] bytes() {
        return new byte[] {(byte) valueTier.ordinal(), (byte) churnRisk.ordinal(), (byte) (potentialKeyAccount ? 1 : 0),
                (byte) creditRating.ordinal()};
    }

    public static TierKey fromBytes(byte[] b, int offset) {
        return new TierKey(ValueTier.values()[b[offset]], ChurnRisk.values()[b[offset + 1]], b[offset + 2] == 1,
                CreditRating.values()[b[offset + 3]]);
    }

    /** The dimensions that differ from {@code previous}, as history changes (dimension, before, after). */
    public List<HistoryEntry.Change> changesSince(TierKey previous) {
        List<HistoryEntry.Change> changes = new ArrayList<>(2);
        if (previous == null) {
            changes.add(new HistoryEntry.Change("valueTier", null, valueTier.name()));
            changes.add(new HistoryEntry.Change("churnRisk", null, churnRisk.name()));
            changes.add(new HistoryEntry.Change("creditRating", null, creditRating.name()));
            changes.add(new HistoryEntry.Change("potentialKeyAccount", null, Boolean.toString(potentialKeyAccount)));
            return changes;
        }
        if (previous.valueTier != valueTier) {
            changes.add(new HistoryEntry.Change("valueTier", previous.valueTier.name(), valueTier.name()));
        }
        if (previous.churnRisk != churnRisk) {
            changes.add(new HistoryEntry.Change("churnRisk", previous.churnRisk.name(), churnRisk.name()));
        }
        if (previous.creditRating != creditRating) {
            changes.add(new HistoryEntry.Change("creditRating", previous.creditRating.name(), creditRating.name()));
        }
        if (previous.potentialKeyAccount != potentialKeyAccount) {
            changes.add(new HistoryEntry.Change("potentialKeyAccount", Boolean.toString(previous.potentialKeyAccount),
                    Boolean.toString(potentialKeyAccount)));
        }
        return changes;
    }
}
