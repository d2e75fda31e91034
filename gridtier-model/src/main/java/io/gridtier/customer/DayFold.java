package io.gridtier.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Folds a customer's day buckets into its consumption history at an evaluation: every bucket of a day up to
 * the evaluated day that is not folded yet adds its total to the day ring and its time-of-use periods to the
 * month ring (once: a bucket remembers it was folded, so that a correction inside the window adjusts the
 * history instead of adding the day twice); buckets older than the correction window are dropped.
 */
public final class DayFold {
    private DayFold() {
    }

    /**
     * What the fold did, for the caller to store.
     *
     * @param rewritten      the buckets that changed (now folded) and stay, to be written back
     * @param expired        days whose bucket is to be removed
     * @param latestDay      the latest day with a bucket or with history (Integer.MIN_VALUE if none)
     * @param historyChanged whether the history has to be written back
     */
    public record Result(List<Map.Entry<Integer, DayBucket>> rewritten, List<Integer> expired, int latestDay, boolean historyChanged) {
    }

    /**
     * @param buckets    the customer's buckets by day (folded in place)
     * @param today      the evaluated day: buckets after it wait for their own evaluation
     * @param oldestKept the oldest day a reading may still arrive for; older folded buckets expire
     * @param monthOf    the month index of a day, as the history's month ring counts months
     */
    public static Result fold(ConsumptionHistory history, Iterable<Map.Entry<Integer, DayBucket>> buckets, int today,
                              int oldestKept, IntUnaryOperator monthOf) {
        int latest = history.isEmpty() ? Integer.MIN_VALUE : history.latestDay;
        List<Map.Entry<Integer, DayBucket>> rewritten = new ArrayList<>(2);
        List<Integer> expired = new ArrayList<>(2);
        boolean historyChanged = false;
        for (Map.Entry<Integer, DayBucket> e : buckets) {
            int day = e.getKey();
            DayBucket b = e.getValue();
            latest = Math.max(latest, day);
            boolean foldedNow = false;
            if (!b.folded && day <= today) {
                if (history.accepts(day)) {
                    history.addDay(day, b.total());
                    for (int p = 0; p < ConsumptionHistory.PERIODS; p++) {
                        if (b.periodKwh(p) != 0f) {
                            history.addMonth(monthOf.applyAsInt(day), p, b.periodKwh(p));
                        }
                    }
                    historyChanged = true;
                }
                b.folded = true;
                foldedNow = true;
            }
            if (b.folded && day < oldestKept) {
                expired.add(day);
            } else if (foldedNow) {
                rewritten.add(e);
            }
        }
        return new Result(rewritten, expired, latest, historyChanged);
    }
}
