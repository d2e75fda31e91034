package io.gridtier.generator;

import io.gridtier.schema.CustomerCategory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Prices of the synthetic utility, close to published Chinese provincial tariffs (rounded, CNY): tiered for
 * households, single-part for general industry and commerce and agriculture, two-part (energy plus a monthly
 * charge on contract capacity) for large industry. Only their order of magnitude matters.
 */
final class Tariff {
    private static final BigDecimal RESIDENTIAL_TIER_1 = new BigDecimal("0.5283");
    private static final BigDecimal RESIDENTIAL_TIER_2 = new BigDecimal("0.5783");
    private static final BigDecimal RESIDENTIAL_TIER_3 = new BigDecimal("0.8283");
    /** Monthly tier limits in kWh. */
    private static final double TIER_1_LIMIT = 230;
    private static final double TIER_2_LIMIT = 400;
    private static final BigDecimal GIC_LOW_VOLTAGE = new BigDecimal("0.6900");
    private static final BigDecimal GIC_10_KV = new BigDecimal("0.6600");
    private static final BigDecimal LI_10_KV = new BigDecimal("0.6200");
    private static final BigDecimal LI_35_KV = new BigDecimal("0.6000");
    private static final BigDecimal LI_110_KV = new BigDecimal("0.5800");
    private static final BigDecimal LI_CAPACITY_PER_KVA_MONTH = new BigDecimal("25.00");
    private static final BigDecimal AGRICULTURAL = new BigDecimal("0.5090");
    private static final double DAYS_PER_MONTH = 365.25 / 12;

    private Tariff() {
    }

    /** The amount due, scale 2, for {@code kwh} consumed over the inclusive period. */
    static BigDecimal amountDue(CustomerCategory category, double voltageKv, Double capacityKva, double kwh,
                                LocalDate periodStart, LocalDate periodEnd) {
        double months = (ChronoUnit.DAYS.between(periodStart, periodEnd) + 1) / DAYS_PER_MONTH;
        BigDecimal amount;
        switch (category) {
            case RESIDENTIAL -> {
                double tier1 = Math.min(kwh, TIER_1_LIMIT * months);
                double tier2 = Math.min(kwh - tier1, (TIER_2_LIMIT - TIER_1_LIMIT) * months);
                double tier3 = kwh - tier1 - tier2;
                amount = kwhOf(tier1).multiply(RESIDENTIAL_TIER_1)
                        .add(kwhOf(tier2).multiply(RESIDENTIAL_TIER_2))
                        .add(kwhOf(tier3).multiply(RESIDENTIAL_TIER_3));
            }
            case GENERAL_INDUSTRIAL_COMMERCIAL ->
                    amount = kwhOf(kwh).multiply(voltageKv < 1.0 ? GIC_LOW_VOLTAGE : GIC_10_KV);
            case LARGE_INDUSTRIAL -> {
                BigDecimal price = voltageKv >= 110 ? LI_110_KV : voltageKv >= 35 ? LI_35_KV : LI_10_KV;
                BigDecimal capacity = BigDecimal.valueOf(capacityKva == null ? 0.0 : capacityKva)
                        .multiply(LI_CAPACITY_PER_KVA_MONTH)
                        .multiply(BigDecimal.valueOf(months));
                amount = kwhOf(kwh).multiply(price).add(capacity);
            }
            default -> amount = kwhOf(kwh).multiply(AGRICULTURAL);
        }
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal kwhOf(double kwh) {
        return BigDecimal.valueOf(Math.max(0.0, kwh)).setScale(2, RoundingMode.HALF_UP);
    }
}
