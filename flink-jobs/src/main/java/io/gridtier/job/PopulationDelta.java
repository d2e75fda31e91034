package io.gridtier.job;

import java.util.Arrays;
import java.util.List;

/**
 * One customer leaving one population and joining another (either side may be none: -1). Sent by
 * the segmenter to {@link TierPopulation}. Flink POJO.
 */
public class PopulationDelta {
    /** The populations counted, by index. */
    static final String[] POPULATIONS = {
            "KEY_ACCOUNT", "HIGH_VALUE", "STANDARD", "LOW_VALUE",
            "CHURN_LOW", "CHURN_ELEVATED", "CHURN_HIGH",
            "CREDIT_A", "CREDIT_B", "CREDIT_C",
            "POTENTIAL_KEY_ACCOUNT"};
    private static final List<String> INDEX = Arrays.asList(POPULATIONS);

    public int left = -1;
    public int joined = -1;

    public PopulationDelta() {
    }

    PopulationDelta(String left, String joined) {
        this.left = left == null ? -1 : INDEX.indexOf(left);
        this.joined = joined == null ? -1 : INDEX.indexOf(joined);
    }

    /** Every population index is sent to one key: the totals are exact across subtasks. */
    public static final class ToOneKey implements org.apache.flink.api.java.functions.KeySelector<PopulationDelta, Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer getKey(PopulationDelta d) {
            return 0;
        }
    }
}
