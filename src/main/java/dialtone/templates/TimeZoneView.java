package dialtone.templates;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * A time zone as templates need it, in each vendor's notation. Public methods only return strings,
 * numbers and booleans, so the sandbox has nothing further to reach through it.
 */
public final class TimeZoneView {

    private final ZoneId zone;
    private final Instant at;

    public TimeZoneView(String zoneId, Instant at) {
        this.zone = ZoneId.of(zoneId);
        this.at = at;
    }

    public String getId() {
        return zone.getId();
    }

    private ZoneRules rules() {
        return zone.getRules();
    }

    /** Standard (winter) offset from UTC in seconds, e.g. -18000 for New York. */
    public int getStandardOffsetSeconds() {
        return rules().getStandardOffset(at).getTotalSeconds();
    }

    /** Offset in force at render time in seconds (summer time included). */
    public int getCurrentOffsetSeconds() {
        return rules().getOffset(at).getTotalSeconds();
    }

    public boolean getObservesDst() {
        return rules().nextTransition(at) != null || !rules().getTransitionRules().isEmpty();
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

    /** Standard offset as {@code GMT-05:00}. */
    public String getGmt() {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(getStandardOffsetSeconds());
        return "GMT" + (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
    }

    @Override
    public String toString() {
        return zone.getId();
    }
}
