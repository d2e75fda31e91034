package io.gridtier.config;

import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.schema.CustomerCategory;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/** Time-of-use periods (峰/平/谷) per tariff, by local hour of a reading's interval start. */
public final class TariffCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, int[]> periodByHour;
    private final EnumMap<CustomerCategory, String> defaults;

    public TariffCalendar(Map<String, int[]> periodByHour, Map<CustomerCategory, String> defaults) {
        this.periodByHour = Map.copyOf(periodByHour);
        this.defaults = new EnumMap<>(defaults);
    }

    /** The tariff of a customer: the one its profile names, else its category's default. */
    public String tariffOf(String named, CustomerCategory category) {
        if (named != null && periodByHour.containsKey(named)) {
            return named;
        }
        return category == null ? null : defaults.get(category);
    }

    public boolean knows(String tariff) {
        return periodByHour.containsKey(tariff);
    }

    /**
     * The period of a reading: UNSPLIT for intervals of a day or more, or when the tariff is not
     * known yet (no profile); else by the local hour at which the interval starts.
     */
    public int period(String tariff, int intervalMinutes, int startHour) {
        if (intervalMinutes >= 1440 || tariff == null) {
            return ConsumptionHistory.UNSPLIT;
        }
        int[] byHour = periodByHour.get(tariff);
        return byHour == null ? ConsumptionHistory.UNSPLIT : byHour[startHour];
    }
}
