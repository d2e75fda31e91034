package io.gridtier.customer;

/**
 * A customer's billing position at one moment, derived from the ledger: what the credit and churn
 * scorecards read. Money in cents.
 *
 * @param decidedBills        bills in the window whose due date has passed or that are settled
 * @param lateBills           of those, bills not settled by their due date
 * @param recentDecidedBills  the same for the shorter (churn) window
 * @param recentLateBills     late bills in the shorter window
 * @param priorDecidedBills   decided bills in a window as long as the shorter one, just before it
 * @param priorLateBills      late bills in that prior window
 * @param oldestDaysPastDue   days past due of the oldest overdue bill (0 when none)
 * @param worstDaysLate       most days any of the window's bills was (or still is) unpaid after its due date
 * @param arrearsCents        unpaid amount of overdue bills
 * @param arrearsByAge        arrears aged 0-30, 31-60, 61-90 and over 90 days past due
 * @param usualBillCents      median of the last 12 bills (0 when none)
 * @param billedLastYearCents amount billed in the last 365 days
 * @param billsLastYear       number of bills issued in the last 365 days
 * @param billedDays          days those bills cover (from the earliest period start, at most 365)
 * @param returnedLastYear    payments returned in the last 365 days
 * @param unpaidPastDueBills  bills past their due date and not settled (partly paid ones included): how
 *                            many months of arrears the customer has, counted in bills
 */
public record LedgerPosition(int decidedBills, int lateBills, int recentDecidedBills, int recentLateBills,
                             int priorDecidedBills, int priorLateBills, int oldestDaysPastDue, int worstDaysLate, long arrearsCents, long[] arrearsByAge, long usualBillCents,
                             long billedLastYearCents, int billsLastYear, int billedDays, int returnedLastYear,
                             int unpaidPastDueBills) {
    public boolean hasBills() {
        return decidedBills > 0 || billsLastYear > 0;
    }
}
