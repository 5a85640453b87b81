package dialtone.templates;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * A user's IANA time zone in each vendor's notation, computed from java.time's zone rules. Public
 * methods only return strings, numbers, booleans and {@link DstRule}s, so the template sandbox has
 * nothing further to reach through it.
 */
public final class TimeZoneView {

    private final ZoneId zone;
    private final Instant at;
    private final Map<String, String> vendorNames;

    public TimeZoneView(String zoneId, Instant at) {
        this(zoneId, at, Map.of());
    }

    /** {@code vendorNames} maps IANA ids to the family's own zone names (family.yaml's time-zone-names). */
    public TimeZoneView(String zoneId, Instant at, Map<String, String> vendorNames) {
        this.zone = ZoneId.of(zoneId);
        this.at = at;
        this.vendorNames = vendorNames;
    }

    public String getId() {
        return zone.getId();
    }

    private ZoneRules rules() {
        return zone.getRules();
    }

    /** Standard (winter) offset from UTC in seconds, e.g. -18000 for New York (Polycom's gmtOffset). */
    public int getStandardOffsetSeconds() {
        return rules().getStandardOffset(at).getTotalSeconds();
    }

    /** Offset in force at render time in seconds (summer time included). */
    public int getCurrentOffsetSeconds() {
        return rules().getOffset(at).getTotalSeconds();
    }

    /** Whether the zone changes its clocks every year (it has recurring transition rules). */
    public boolean getObservesDst() {
        return getDstStart() != null;
    }

    /** Whether summer time is in force at render time. */
    public boolean getInDst() {
        return rules().isDaylightSavings(at);
    }

    /** How far clocks go forward in summer, in seconds (0 without summer time). */
    public int getDstSavingSeconds() {
        DstRule start = getDstStart();
        return start == null ? 0 : start.rule.getOffsetAfter().getTotalSeconds()
                - start.rule.getOffsetBefore().getTotalSeconds();
    }

    /** Standard offset in hours as Yealink writes it: {@code -5}, {@code +5.5}, {@code -3.5}, {@code 0}. */
    public String getHours() {
        int seconds = getStandardOffsetSeconds();
        int minutes = Math.abs(seconds) / 60;
        String sign = seconds < 0 ? "-" : seconds > 0 ? "+" : "";
        String hours = Integer.toString(minutes / 60);
        int rest = minutes % 60;
        return sign + hours + (rest == 0 ? "" : rest == 30 ? ".5" : rest == 45 ? ".75" : "." + (rest * 100 / 60));
    }

    /** Standard offset as Yealink's zone table writes it: {@code -5}, {@code +5:30}, {@code -3:30}, {@code +5:45}, {@code 0}. */
    public String getHoursMinutes() {
        int seconds = getStandardOffsetSeconds();
        int minutes = Math.abs(seconds) / 60;
        String sign = seconds < 0 ? "-" : seconds > 0 ? "+" : "";
        return sign + clock(minutes);
    }

    /** Standard offset in quarter hours, Fanvil's unit: {@code -20} for New York, {@code 22} for Kolkata. */
    public int getQuarterHours() {
        return getStandardOffsetSeconds() / 900;
    }

    /** Standard offset in minutes west of UTC (Aastra's {@code time zone minutes}): 300 for New York. */
    public int getMinutesWest() {
        return -getStandardOffsetSeconds() / 60;
    }

    /** Standard offset as Cisco writes it: {@code GMT-05:00}, {@code GMT+05:30}, {@code GMT+00:00}. */
    public String getGmt() {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(getStandardOffsetSeconds());
        return "GMT" + (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
    }

    /** The family's own name for this zone (family.yaml {@code time-zone-names}), or "" when it has none. */
    public String getName() {
        return vendorNames.getOrDefault(zone.getId(), "");
    }

    /** When summer time starts (clocks forward), or null for a zone without it. */
    public DstRule getDstStart() {
        return transition(true);
    }

    /** When summer time ends (clocks back), or null for a zone without it. */
    public DstRule getDstEnd() {
        return transition(false);
    }

    private DstRule transition(boolean forward) {
        List<ZoneOffsetTransitionRule> rules = rules().getTransitionRules();
        return rules.stream()
                .filter(r -> (r.getOffsetAfter().getTotalSeconds() > r.getOffsetBefore().getTotalSeconds()) == forward)
                .min(Comparator.comparing(ZoneOffsetTransitionRule::getMonth))
                .map(DstRule::new).orElse(null);
    }

    /**
     * Cisco's Daylight_Saving_Time_Rule: {@code start=3/8/7/2;end=11/1/7/2;save=1} (month/day/weekday/time,
     * day -1 = last, weekday 1 = Monday); "" for a zone without summer time.
     */
    public String getCiscoDstRule() {
        DstRule start = getDstStart();
        DstRule end = getDstEnd();
        if (start == null || end == null) {
            return "";
        }
        return "start=" + start.cisco() + ";end=" + end.cisco() + ";save=" + clock(getDstSavingSeconds() / 60);
    }

    /**
     * A POSIX TZ string such as {@code EST5EDT,M3.2.0,M11.1.0} or {@code CET-1CEST,M3.5.0,M10.5.0/3}
     * (Grandstream's P64); offsets are west-positive as POSIX wants, times are local wall clock.
     */
    public String getPosix() {
        int std = getStandardOffsetSeconds();
        StringBuilder out = new StringBuilder(abbreviation(false, std)).append(posixOffset(std));
        DstRule start = getDstStart();
        DstRule end = getDstEnd();
        if (start == null || end == null) {
            return out.toString();
        }
        int dst = std + getDstSavingSeconds();
        out.append(abbreviation(true, dst));
        if (dst - std != 3600) {
            out.append(posixOffset(dst));
        }
        return out.append(',').append(start.posix()).append(',').append(end.posix()).toString();
    }

    private String abbreviation(boolean daylight, int offsetSeconds) {
        String name = TimeZone.getTimeZone(zone).getDisplayName(daylight, TimeZone.SHORT, Locale.US);
        if (name.matches("[A-Za-z]{3,6}")) {
            return name;
        }
        int minutes = Math.abs(offsetSeconds) / 60;
        return "<" + (offsetSeconds < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", minutes / 60)
                + (minutes % 60 == 0 ? "" : String.format(Locale.ROOT, "%02d", minutes % 60)) + ">";
    }

    private static String posixOffset(int offsetSeconds) {
        int west = -offsetSeconds / 60;
        return (west < 0 ? "-" : "") + clock(Math.abs(west));
    }

    /** {@code h}, or {@code h:mm} when minutes are not zero. */
    static String clock(int minutes) {
        int h = minutes / 60;
        int m = minutes % 60;
        return m == 0 ? Integer.toString(h) : h + ":" + String.format(Locale.ROOT, "%02d", m);
    }

    @Override
    public String toString() {
        return zone.getId();
    }

    /** One yearly clock change, in the forms vendors write it. Times are local wall clock before the change. */
    public static final class DstRule {

        private final ZoneOffsetTransitionRule rule;
        private final int wallMinutes;

        DstRule(ZoneOffsetTransitionRule rule) {
            this.rule = rule;
            LocalDateTime base = LocalDateTime.of(2001, 1, 1, 0, 0);
            LocalDateTime local = base.with(rule.getLocalTime()).plusDays(rule.isMidnightEndOfDay() ? 1 : 0);
            LocalDateTime wall = rule.getTimeDefinition().createDateTime(local, rule.getStandardOffset(),
                    rule.getOffsetBefore());
            this.wallMinutes = (int) java.time.Duration.between(base, wall).toMinutes();
        }

        public int getMonth() {
            return rule.getMonth().getValue();
        }

        /** The day the rule counts from: 8 = "the first weekday on or after the 8th"; -1 = "the last". */
        public int getDayOfMonth() {
            return rule.getDayOfMonthIndicator();
        }

        /** "The last weekday of the month": java.time also writes it as "on or after the 25th" of March. */
        public boolean getLastInMonth() {
            int dom = rule.getDayOfMonthIndicator();
            return dom < 0 || (rule.getDayOfWeek() != null && dom + 6 >= rule.getMonth().maxLength());
        }

        /** Week of the month 1-4, or 5 for "last" (POSIX's {@code Mm.w.d}). */
        public int getWeek() {
            int dom = rule.getDayOfMonthIndicator();
            return getLastInMonth() ? 5 : Math.min(5, (dom - 1) / 7 + 1);
        }

        /** ISO weekday: 1 = Monday ... 7 = Sunday (Cisco). */
        public int getDayOfWeek() {
            DayOfWeek day = rule.getDayOfWeek();
            return day == null ? 0 : day.getValue();
        }

        /** Weekday counted from Sunday = 1 ... Saturday = 7 (Polycom). */
        public int getDayOfWeekFromSunday() {
            DayOfWeek day = rule.getDayOfWeek();
            return day == null ? 0 : day.getValue() % 7 + 1;
        }

        /** English weekday name, e.g. {@code Sunday}. */
        public String getDayName() {
            DayOfWeek day = rule.getDayOfWeek();
            return day == null ? "" : day.getDisplayName(TextStyle.FULL, Locale.US);
        }

        /** Whole hour of the change on the wall clock before it (Polycom's {@code .time}). */
        public int getHour() {
            return wallMinutes / 60;
        }

        public int getMinute() {
            return wallMinutes % 60;
        }

        /** {@code 2:00} */
        public String getTime() {
            return getHour() + ":" + String.format(Locale.ROOT, "%02d", getMinute());
        }

        String cisco() {
            return getMonth() + "/" + (getLastInMonth() ? -1 : getDayOfMonth()) + "/" + getDayOfWeek() + "/"
                    + clock(wallMinutes);
        }

        String posix() {
            String date = rule.getDayOfWeek() == null
                    ? "J" + java.time.LocalDate.of(2001, rule.getMonth(), Math.max(1, rule.getDayOfMonthIndicator()))
                            .getDayOfYear()
                    : "M" + getMonth() + "." + getWeek() + "." + rule.getDayOfWeek().getValue() % 7;
            return wallMinutes == 120 ? date : date + "/" + clock(wallMinutes);
        }

        @Override
        public String toString() {
            return getMonth() + "/" + getDayOfMonth() + "/" + getDayName() + "/" + getTime();
        }
    }
}
