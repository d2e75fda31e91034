package io.gridtier.customer;

import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DayFoldTest {
    private static final int DAY0 = 20_000;

    private static DayBucket bucket(float flatKwh, boolean folded) {
        DayBucket b = new DayBucket();
        b.flat = flatKwh;
        b.folded = folded;
        return b;
    }

    private static List<Map.Entry<Integer, DayBucket>> buckets(Object... dayAndBucket) {
        List<Map.Entry<Integer, DayBucket>> list = new ArrayList<>();
        for (int i = 0; i < dayAndBucket.length; i += 2) {
            list.add(new AbstractMap.SimpleEntry<>((Integer) dayAndBucket[i], (DayBucket) dayAndBucket[i + 1]));
        }
        return list;
    }

    @Test
    void bucketsUpToTheEvaluatedDayAreFoldedIntoTheHistoryOnce() {
        ConsumptionHistory h = new ConsumptionHistory();
        List<Map.Entry<Integer, DayBucket>> b = buckets(DAY0, bucket(10f, false), DAY0 + 1, bucket(20f, false), DAY0 + 2, bucket(30f, false));
        DayFold.Result r = DayFold.fold(h, b, DAY0 + 1, Integer.MIN_VALUE, d -> d / 30);
        assertThat(h.kwhOn(DAY0)).isCloseTo(10, within(1e-6));
        assertThat(h.kwhOn(DAY0 + 1)).isCloseTo(20, within(1e-6));
        assertThat(h.hasReadingOn(DAY0 + 2)).as("a day after the evaluated one waits for its own evaluation").isFalse();
        assertThat(r.historyChanged()).isTrue();
        assertThat(r.rewritten()).extracting(Map.Entry::getKey).containsExactly(DAY0, DAY0 + 1);
        assertThat(r.latestDay()).isEqualTo(DAY0 + 2);

        DayFold.Result again = DayFold.fold(h, b, DAY0 + 1, Integer.MIN_VALUE, d -> d / 30);
        assertThat(h.kwhOn(DAY0)).as("folded buckets are not added twice").isCloseTo(10, within(1e-6));
        assertThat(again.historyChanged()).isFalse();
        assertThat(again.rewritten()).isEmpty();
    }

    @Test
    void bucketsOlderThanTheCorrectionWindowAreDroppedOnceFolded() {
        ConsumptionHistory h = new ConsumptionHistory();
        DayFold.Result r = DayFold.fold(h, buckets(DAY0, bucket(1f, true), DAY0 + 5, bucket(2f, false), DAY0 + 9, bucket(3f, false)),
                DAY0 + 9, DAY0 + 6, d -> d / 30);
        assertThat(r.expired()).as("folded and older than the oldest day a reading may still arrive for")
                .containsExactly(DAY0, DAY0 + 5);
        assertThat(r.rewritten()).as("an expiring bucket is removed, not written back").extracting(Map.Entry::getKey)
                .containsExactly(DAY0 + 9);
        assertThat(h.kwhOn(DAY0 + 5)).as("folded before it expires").isCloseTo(2, within(1e-6));
    }

    @Test
    void anUnfoldedBucketIsKeptEvenWhenOld() {
        DayFold.Result r = DayFold.fold(new ConsumptionHistory(), buckets(DAY0, bucket(1f, false)), DAY0 - 1, DAY0 + 10, d -> d / 30);
        assertThat(r.expired()).isEmpty();
        assertThat(r.rewritten()).isEmpty();
    }

    @Test
    void theLatestDayIsThatOfTheHistoryWhenNoBucketIsLater() {
        ConsumptionHistory h = new ConsumptionHistory();
        h.addDay(DAY0 + 20, 5);
        assertThat(DayFold.fold(h, buckets(DAY0, bucket(1f, true)), DAY0 + 20, Integer.MIN_VALUE, d -> d / 30).latestDay())
                .isEqualTo(DAY0 + 20);
        assertThat(DayFold.fold(new ConsumptionHistory(), buckets(), DAY0, Integer.MIN_VALUE, d -> d / 30).latestDay())
                .isEqualTo(Integer.MIN_VALUE);
    }
}
