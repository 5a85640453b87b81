package dialtone.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each vendor's notation for the zones the issue names, on both sides of a clock change. */
class TimeZoneViewTest {

    static final Instant JANUARY = Instant.parse("2026-01-15T12:00:00Z");
    static final Instant JULY = Instant.parse("2026-07-15T12:00:00Z");

    static TimeZoneView zone(String id, Instant at) {
        return new TimeZoneView(id, at);
    }

    @Test
    void newYorkIsFiveHoursBehindInWinterAndFourInSummer() {
        TimeZoneView winter = zone("America/New_York", JANUARY);
        TimeZoneView summer = zone("America/New_York", JULY);

        assertThat(winter.getCurrentOffsetSeconds()).isEqualTo(-18000);
        assertThat(summer.getCurrentOffsetSeconds()).isEqualTo(-14400);
        assertThat(winter.getInDst()).isFalse();
        assertThat(summer.getInDst()).isTrue();
        for (TimeZoneView tz : new TimeZoneView[] {winter, summer}) {
            assertThat(tz.getStandardOffsetSeconds()).isEqualTo(-18000);
            assertThat(tz.getHours()).isEqualTo("-5");
            assertThat(tz.getGmt()).isEqualTo("GMT-05:00");
            assertThat(tz.getPosix()).isEqualTo("EST5EDT,M3.2.0,M11.1.0");
            assertThat(tz.getCiscoDstRule()).isEqualTo("start=3/8/7/2;end=11/1/7/2;save=1");
            assertThat(tz.getObservesDst()).isTrue();
            assertThat(tz.getDstSavingSeconds()).isEqualTo(3600);
        }
        TimeZoneView.DstRule start = winter.getDstStart();
        assertThat(start.getMonth()).isEqualTo(3);
        assertThat(start.getDayOfMonth()).isEqualTo(8);
        assertThat(start.getWeek()).isEqualTo(2);
        assertThat(start.getDayOfWeekFromSunday()).isEqualTo(1);
        assertThat(start.getDayOfWeek()).isEqualTo(7);
        assertThat(start.getLastInMonth()).isFalse();
        assertThat(start.getHour()).isEqualTo(2);
        assertThat(winter.getDstEnd().getMonth()).isEqualTo(11);
        assertThat(winter.getDstEnd().getDayOfMonth()).isEqualTo(1);
        assertThat(winter.getDstEnd().getHour()).isEqualTo(2);
    }

    @Test
    void berlinChangesOnTheLastSundaysAtOneUtc() {
        TimeZoneView winter = zone("Europe/Berlin", JANUARY);
        TimeZoneView summer = zone("Europe/Berlin", JULY);

        assertThat(winter.getCurrentOffsetSeconds()).isEqualTo(3600);
        assertThat(summer.getCurrentOffsetSeconds()).isEqualTo(7200);
        assertThat(summer.getStandardOffsetSeconds()).isEqualTo(3600);
        assertThat(summer.getHours()).isEqualTo("+1");
        assertThat(summer.getGmt()).isEqualTo("GMT+01:00");
        assertThat(summer.getPosix()).isEqualTo("CET-1CEST,M3.5.0,M10.5.0/3");
        assertThat(summer.getCiscoDstRule()).isEqualTo("start=3/-1/7/2;end=10/-1/7/3;save=1");
        assertThat(summer.getDstStart().getLastInMonth()).isTrue();
        assertThat(summer.getDstStart().getHour()).isEqualTo(2);
        assertThat(summer.getDstEnd().getLastInMonth()).isTrue();
        assertThat(summer.getDstEnd().getHour()).isEqualTo(3);
    }

    @Test
    void kolkataIsFiveAndAHalfHoursAheadWithoutSummerTime() {
        for (Instant at : new Instant[] {JANUARY, JULY}) {
            TimeZoneView tz = zone("Asia/Kolkata", at);
            assertThat(tz.getCurrentOffsetSeconds()).isEqualTo(19800);
            assertThat(tz.getStandardOffsetSeconds()).isEqualTo(19800);
            assertThat(tz.getHours()).isEqualTo("+5.5");
            assertThat(tz.getGmt()).isEqualTo("GMT+05:30");
            assertThat(tz.getPosix()).isEqualTo("IST-5:30");
            assertThat(tz.getObservesDst()).isFalse();
            assertThat(tz.getCiscoDstRule()).isEmpty();
            assertThat(tz.getDstStart()).isNull();
        }
    }

    @Test
    void offsetsComeInYealinksHoursAndMinutesFanvilsQuarterHoursAndAastrasMinutesWest() {
        String[][] expected = {
                {"America/New_York", "-5", "-20", "300"}, {"Asia/Kolkata", "+5:30", "22", "-330"},
                {"America/St_Johns", "-3:30", "-14", "210"}, {"Asia/Kathmandu", "+5:45", "23", "-345"},
                {"Europe/London", "0", "0", "0"}, {"Australia/Sydney", "+10", "40", "-600"}};
        for (String[] row : expected) {
            TimeZoneView tz = zone(row[0], JANUARY);
            assertThat(List.of(tz.getHoursMinutes(), Integer.toString(tz.getQuarterHours()),
                    Integer.toString(tz.getMinutesWest()))).as(row[0]).containsExactly(row[1], row[2], row[3]);
        }
    }

    @Test
    void sydneyHasSummerTimeInTheSouthernSummer() {
        TimeZoneView january = zone("Australia/Sydney", JANUARY);
        TimeZoneView july = zone("Australia/Sydney", JULY);

        assertThat(january.getCurrentOffsetSeconds()).isEqualTo(39600);
        assertThat(january.getInDst()).isTrue();
        assertThat(july.getCurrentOffsetSeconds()).isEqualTo(36000);
        assertThat(july.getInDst()).isFalse();
        assertThat(july.getStandardOffsetSeconds()).isEqualTo(36000);
        assertThat(july.getHours()).isEqualTo("+10");
        assertThat(july.getGmt()).isEqualTo("GMT+10:00");
        assertThat(july.getPosix()).isEqualTo("AEST-10AEDT,M10.1.0,M4.1.0/3");
        assertThat(july.getCiscoDstRule()).isEqualTo("start=10/1/7/2;end=4/1/7/3;save=1");
        assertThat(july.getDstStart().getMonth()).isEqualTo(10);
        assertThat(july.getDstEnd().getMonth()).isEqualTo(4);
    }

    @Test
    void tokyoHasNoSummerTime() {
        TimeZoneView tz = zone("Asia/Tokyo", JULY);

        assertThat(tz.getCurrentOffsetSeconds()).isEqualTo(32400);
        assertThat(zone("Asia/Tokyo", JANUARY).getCurrentOffsetSeconds()).isEqualTo(32400);
        assertThat(tz.getHours()).isEqualTo("+9");
        assertThat(tz.getGmt()).isEqualTo("GMT+09:00");
        assertThat(tz.getPosix()).isEqualTo("JST-9");
        assertThat(tz.getObservesDst()).isFalse();
        assertThat(tz.getDstSavingSeconds()).isZero();
    }

    @Test
    void stJohnsIsThreeAndAHalfHoursBehindWithSummerTime() {
        TimeZoneView winter = zone("America/St_Johns", JANUARY);
        TimeZoneView summer = zone("America/St_Johns", JULY);

        assertThat(winter.getCurrentOffsetSeconds()).isEqualTo(-12600);
        assertThat(summer.getCurrentOffsetSeconds()).isEqualTo(-9000);
        assertThat(summer.getStandardOffsetSeconds()).isEqualTo(-12600);
        assertThat(summer.getHours()).isEqualTo("-3.5");
        assertThat(summer.getGmt()).isEqualTo("GMT-03:30");
        assertThat(summer.getPosix()).isEqualTo("NST3:30NDT,M3.2.0,M11.1.0");
        assertThat(summer.getCiscoDstRule()).isEqualTo("start=3/8/7/2;end=11/1/7/2;save=1");
    }

    @Test
    void vendorNamesComeFromTheFamilysTable() {
        TimeZoneView tz = new TimeZoneView("America/New_York", JULY, java.util.Map.of("America/New_York", "USA-5"));

        assertThat(tz.getName()).isEqualTo("USA-5");
        assertThat(new TimeZoneView("Asia/Tokyo", JULY, java.util.Map.of()).getName()).isEmpty();
    }
}
