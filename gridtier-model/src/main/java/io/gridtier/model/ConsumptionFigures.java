package io.gridtier.model;

import io.gridtier.customer.ConsumptionHistory;

/**
 * What the scorecards read from a customer's consumption history at one local day. Only days up to
 * that day count, so the figures for a day do not depend on readings for later days that happened to
 * arrive early.
 *
 * @param daysObserved     days from the first reading to {@code asOfDay} (at most 365)
 * @param annualKwh        kWh of the last 365 days, extrapolated to a year when fewer days were observed
 * @param loadFactor       average day / busiest day over the same days (0 when nothing was consumed)
 * @param growth           change of the recent window against its baseline, or NaN without a baseline
 * @param growthAgainstYear true when the growth baseline is the same days a year earlier
 * @param drop             fall of the last days before the last reading against their baseline (0..1), or NaN
 * @param dropAgainstYear  true when the drop baseline is the same days a year earlier
 * @param silentDays       days since the last day with a reading worth the name (0: today), -1 when never read
 * @param peakShare        share of split kWh of the last 12 months in the peak period, NaN when none split
 * @param flatShare        the same for the flat period
 * @param valleyShare      the same for the valley period
 */
record ConsumptionFigures(int daysObserved, double annualKwh, double loadFactor, double growth,
                          boolean growthAgainstYear, double drop, boolean dropAgainstYear, int silentDays,
                          double peakShare, double flatShare, double valleyShare) {

    static ConsumptionFigures of(ConsumptionHistory h, int asOfDay, int asOfMonth, ModelConfig.Value value,
                                 ModelConfig.Drop dropRule, ModelConfig.Silence silence, double referenceAnnualKwh) {
        int lastRead = h == null ? Integer.MIN_VALUE : h.lastReadingDayAtOrBefore(asOfDay);
        if (h == null || ConsumptionHistory.isNone(lastRead)) {
            return new ConsumptionFigures(0, 0, 0, Double.NaN, false, Double.NaN, false, -1,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        // the first day whose data is still held: older days have rolled out of the ring
        int first = Math.max(h.firstDay, h.latestDay - ConsumptionHistory.DAYS + 1);
        int observed = Math.min(365, asOfDay - first + 1);
        int from = asOfDay - observed + 1;
        double sum = 0, max = 0;
        for (int d = from; d <= asOfDay; d++) {
            double k = h.kwhOn(d);
            sum += k;
            max = Math.max(max, k);
        }
        // a year extrapolated from the days seen, but never from fewer than minDaysToAnnualise days
        double annual = observed >= 365 ? sum : sum * 365.0 / Math.max(observed, value.minDaysToAnnualise());
        double loadFactor = max > 0 ? (sum / observed) / max : 0;
        // silence: the last day with a reading worth the name (not a token value far below the average)
        double dead = silence.deadBelowShareOfAverage() * sum / observed;
        int lastLive = Integer.MIN_VALUE;
        for (int d = lastRead; d > h.latestDay - ConsumptionHistory.DAYS; d--) {
            if (h.hasReadingOn(d) && h.kwhOn(d) >= dead) {
                lastLive = d;
                break;
            }
        }
        int silentDays = lastLive == Integer.MIN_VALUE ? asOfDay - Math.max(first, lastRead - observed + 1) + 1
                : asOfDay - lastLive;

        int recent = value.growth().recentDays();
        double growth = Double.NaN;
        boolean growthYear = false;
        double recentSum = h.sum(asOfDay - recent + 1, asOfDay);
        double minBase = value.growth().minBaselineShareOfReference() * referenceAnnualKwh * recent / 365.0;
        if (first <= asOfDay - 365 - recent + 1) {
            double base = h.sum(asOfDay - 365 - recent + 1, asOfDay - 365);
            if (base >= minBase && base > 0) {
                growth = recentSum / base - 1;
                growthYear = true;
            }
        } else if (first <= asOfDay - 2 * recent + 1) {
            double base = h.sum(asOfDay - 2 * recent + 1, asOfDay - recent);
            if (base >= minBase && base > 0) {
                growth = recentSum / base - 1;
            }
        }

        // the drop looks at the days up to the last reading; days without readings after it are silence
        int dropDays = dropRule.recentDays();
        double drop = Double.NaN;
        boolean dropYear = false;
        double dropRecent = h.sum(lastRead - dropDays + 1, lastRead);
        int shift = dropRule.seasonalShiftDays();
        if (first <= lastRead - 365 - dropDays + 1 - shift) {
            // the lowest of the year-earlier windows shifted up to `shift` days: moving holidays align
            double base = Double.MAX_VALUE;
            double window = h.sum(lastRead - 365 - dropDays + 1 - shift, lastRead - 365 - shift);
            for (int s = -shift; s <= shift; s++) {
                base = Math.min(base, window);
                int end = lastRead - 365 + s;
                window += h.kwhOn(end + 1) - h.kwhOn(end - dropDays + 1);
            }
            if (base >= dropRule.minBaselineKwh()) {
                drop = Math.max(0, 1 - dropRecent / base);
                dropYear = true;
            }
        } else {
            int fb = dropRule.fallbackBaselineDays();
            if (first <= lastRead - dropDays - fb + 1) {
                double base = h.sum(lastRead - dropDays - fb + 1, lastRead - dropDays) * dropDays / fb;
                if (base >= dropRule.minBaselineKwh()) {
                    drop = Math.max(0, 1 - dropRecent / base);
                }
            }
        }

        double peak = 0, flat = 0, valley = 0;
        for (int m = asOfMonth - 11; m <= asOfMonth; m++) {
            peak += h.monthKwh(m, ConsumptionHistory.PEAK);
            flat += h.monthKwh(m, ConsumptionHistory.FLAT);
            valley += h.monthKwh(m, ConsumptionHistory.VALLEY);
        }
        double split = peak + flat + valley;
        return new ConsumptionFigures(observed, annual, loadFactor, growth, growthYear, drop, dropYear,
                silentDays,
                split > 0 ? peak / split : Double.NaN,
                split > 0 ? flat / split : Double.NaN,
                split > 0 ? valley / split : Double.NaN);
    }
}
