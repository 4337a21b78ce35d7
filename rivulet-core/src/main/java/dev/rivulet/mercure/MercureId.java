package dev.rivulet.mercure;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Names;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Mercure id of an event. A publisher may choose one; otherwise the hub names the event by its
 * cursor, as a {@code urn:uuid:} IRI that is a valid RFC 9562 UUID (version 8, the version for
 * custom layouts): {@code urn:uuid:72697675-6c65-8074-8xxx-xxxxxxxxxxxx}. The first 64 bits are
 * fixed (they spell "rivulet" in ASCII, then the version), the variant bits follow, and the last
 * 62 bits are the cursor. Such an id resumes a stream on any node without a look-up: the cursor is
 * read back from it. A publisher's own id is found in retained history instead.
 */
public final class MercureId {

    /** The reserved value that asks for every retained event. */
    public static final String EARLIEST = "earliest";
    /** Longest id a publisher may choose, or a client send back. */
    public static final int MAX_LENGTH = 1024;

    private static final String PREFIX = "urn:uuid:72697675-6c65-8074-";
    private static final Pattern OWN = Pattern.compile(Pattern.quote(PREFIX) + "([89ab][0-9a-f]{3})-([0-9a-f]{12})");
    private static final long VARIANT = 0x8000_0000_0000_0000L;
    private static final long CURSOR_BITS = 0x3FFF_FFFF_FFFF_FFFFL;

    private MercureId() {
    }

    /** The id the hub gives the event at {@code cursor}. */
    public static String of(Cursor cursor) {
        if (cursor.position() < 0 || cursor.position() > CURSOR_BITS) {
            throw new IllegalArgumentException("a cursor of 62 bits at most: " + cursor);
        }
        String hex = String.format("%016x", VARIANT | cursor.position());
        return PREFIX + hex.substring(0, 4) + "-" + hex.substring(4);
    }

    /** The id Mercure subscribers see for {@code event}: its publisher's, else the hub's own. */
    public static String of(Event event) {
        String chosen = event.meta().id();
        return chosen != null ? chosen : of(event.id());
    }

    /** The cursor a hub-generated id carries; empty for any other text (a publisher's id, say). */
    public static Optional<Cursor> cursorOf(String id) {
        Matcher m = OWN.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        long bits = Long.parseUnsignedLong(m.group(1) + m.group(2), 16);
        return Optional.of(Cursor.of(bits & CURSOR_BITS));
    }

    /**
     * Checks an id a publisher chose: not empty, at most {@link #MAX_LENGTH} characters, no control
     * character; not beginning with {@code #} (the spec keeps those for the hub), not
     * {@code earliest}, and not in the hub's own form, which would name another event.
     */
    public static String checkChosen(String id) {
        check(id, "the id");
        if (id.startsWith("#")) {
            throw new InvalidInputException("invalid-id", "a publisher's id may not start with '#'");
        }
        if (id.equals(EARLIEST)) {
            throw new InvalidInputException("invalid-id", "'earliest' is reserved: it asks for all retained events");
        }
        if (cursorOf(id).isPresent() || id.startsWith(PREFIX)) {
            throw new InvalidInputException("invalid-id", "ids beginning " + PREFIX + " are the ones the hub generates");
        }
        return id;
    }

    /** Checks an id a client resumes after (Last-Event-ID, lastEventID). */
    public static String checkResume(String id) {
        return check(id, "Last-Event-ID");
    }

    private static String check(String id, String what) {
        if (id.isEmpty()) {
            throw new InvalidInputException("invalid-id", what + " is empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new InvalidInputException("invalid-id", what + " is longer than " + MAX_LENGTH + " characters");
        }
        if (Names.hasControl(id) || Names.hasUndecodable(id)) {
            throw new InvalidInputException("invalid-id", what + " may not contain control characters or U+FFFD");
        }
        return id;
    }
}
