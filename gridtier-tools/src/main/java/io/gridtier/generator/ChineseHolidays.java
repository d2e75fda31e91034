package io.gridtier.generator;

import java.time.LocalDate;
import java.time.Month;

/** The Chinese holidays that move industrial and commercial load: Spring Festival and the National Day week. */
final class ChineseHolidays {
    private static final int FIRST_YEAR = 2000;
    /** Lunar New Year's day, 2000–2040. */
    private static final String[] SPRING_FESTIVAL = {
        "02-05", "01-24", "02-12", "02-01", "01-22", "02-09", "01-29", "02-18", "02-07", "01-26",
        "02-14", "02-03", "01-23", "02-10", "01-31", "02-19", "02-08", "01-28", "02-16", "02-05",
        "01-25", "02-12", "02-01", "01-22", "02-10", "01-29", "02-17", "02-06", "01-26", "02-13",
        "02-03", "01-23", "02-11", "01-31", "02-19", "02-08", "01-28", "02-15", "02-04", "01-24",
        "02-12"};

    private ChineseHolidays() {
    }

    /** Lunar New Year's day; outside 2000–2040 an average date (5 February), good enough for a load shape. */
    static LocalDate springFestival(int year) {
        int i = year - FIRST_YEAR;
        if (i < 0 || i >= SPRING_FESTIVAL.length) {
            return LocalDate.of(year, Month.FEBRUARY, 5);
        }
        return LocalDate.parse(year + "-" + SPRING_FESTIVAL[i]);
    }

    static boolean isNationalDayWeek(LocalDate day) {
        return day.getMonth() == Month.OCTOBER && day.getDayOfMonth() <= 7;
    }
}
