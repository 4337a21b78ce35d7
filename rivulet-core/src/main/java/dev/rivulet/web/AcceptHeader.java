package dev.rivulet.web;

import java.util.Locale;

/** Reads the q-values of the content-negotiation headers ({@code Accept}, {@code Accept-Encoding}). */
public final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * The highest quality {@code header} gives any of {@code names} (compared without case), or -1
     * when it names none of them; an entry without {@code q=} has quality 1.
     */
    public static double quality(String header, String... names) {
        if (header == null) {
            return -1;
        }
        double best = -1;
        for (String entry : header.split(",")) {
            String[] parts = entry.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            for (String wanted : names) {
                if (name.equals(wanted)) {
                    best = Math.max(best, q(parts));
                }
            }
        }
        return best;
    }

    private static double q(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String p = parameters[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
