package dev.rivulet.hub;

/**
 * A subscriber's requested delivery pace: at most {@code eventsPerSecond} events a second, with up
 * to {@code burst} at once after a quiet spell. Control events are never held back. Events that
 * arrive faster wait in the subscriber's queue, where its overflow policy governs them as usual.
 */
public record Pace(double eventsPerSecond, int burst) {

    public static final double MAX_RATE = 100_000;
    public static final int MAX_BURST = 10_000;

    public Pace {
        if (!(eventsPerSecond > 0) || eventsPerSecond > MAX_RATE) {
            throw new InvalidInputException("invalid-rate", "max_rate must be a number above 0 and at most " + (long) MAX_RATE);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new InvalidInputException("invalid-rate", "burst must be a whole number from 1 to " + MAX_BURST);
        }
    }

    /**
     * Reads the client's {@code max_rate} and {@code burst} parameters; null (no pacing) when
     * {@code maxRate} is absent. The burst defaults to 1: events are spaced evenly.
     */
    public static Pace parse(String maxRate, String burst) {
        if (maxRate == null || maxRate.isBlank()) {
            if (burst != null && !burst.isBlank()) {
                throw new InvalidInputException("invalid-rate", "burst needs max_rate");
            }
            return null;
        }
        double rate;
        try {
            rate = Double.parseDouble(maxRate.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid-rate", "max_rate must be a number of events a second, such as 5 or 0.5");
        }
        if (Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new InvalidInputException("invalid-rate", "max_rate must be a number above 0 and at most " + (long) MAX_RATE);
        }
        int b = 1;
        if (burst != null && !burst.isBlank()) {
            try {
                b = Integer.parseInt(burst.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("invalid-rate", "burst must be a whole number from 1 to " + MAX_BURST);
            }
        }
        return new Pace(rate, b);
    }

    TokenBucket bucket(long nowNanos) {
        return new TokenBucket(eventsPerSecond, burst, nowNanos);
    }
}
