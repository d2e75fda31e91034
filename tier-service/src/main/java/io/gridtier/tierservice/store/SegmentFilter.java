package io.gridtier.tierservice.store;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.ValueTier;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Which segments a list asks for; an empty set means "any". */
public record SegmentFilter(Set<ValueTier> valueTiers, Set<ChurnRisk> churnRisks, Set<Boolean> potentialKeyAccount,
                            Set<CreditRating> creditRatings) {

    public static SegmentFilter any() {
        return new SegmentFilter(Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** Every 4-byte index prefix that matches, in byte order. */
    List<byte[]> prefixes() {
        List<byte[]> out = new ArrayList<>();
        for (ValueTier vt : valueTiers.isEmpty() ? EnumSet.allOf(ValueTier.class) : EnumSet.copyOf(valueTiers)) {
            for (ChurnRisk cr : churnRisks.isEmpty() ? EnumSet.allOf(ChurnRisk.class) : EnumSet.copyOf(churnRisks)) {
                for (boolean pk : new boolean[] {false, true}) {
                    if (!potentialKeyAccount.isEmpty() && !potentialKeyAccount.contains(pk)) {
                        continue;
                    }
                    for (CreditRating c : creditRatings.isEmpty() ? EnumSet.allOf(CreditRating.class)
                            : EnumSet.copyOf(creditRatings)) {
                        out.add(new TierKey(vt, cr, pk, c).bytes());
                    }
                }
            }
        }
        return out;
    }
}
