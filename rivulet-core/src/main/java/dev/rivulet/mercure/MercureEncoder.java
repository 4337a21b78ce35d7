package dev.rivulet.mercure;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Transport;
import dev.rivulet.stream.SseEncoder;
import dev.rivulet.stream.StreamEncoder;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events as Mercure subscribers expect them: {@code id:} is the event's Mercure id
 * (its publisher's, or the hub's {@code urn:uuid:} form), {@code event:} only for a type other
 * than the default, {@code retry:} when the publisher set one, and one {@code data:} line per line
 * of data (blank lines and leading spaces kept). Text a Mercure publisher sent is written as sent;
 * a native event's JSON data is written as its JSON text. The hub's control events are not
 * Mercure: a gap or a lag writes nothing, and the drain's notice is a {@code retry:} alone, after
 * which the stream ends and the client reconnects then.
 */
public final class MercureEncoder implements StreamEncoder {

    private static final byte[] NOTHING = new byte[0];
    private static final byte[] KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.UTF_8);

    @Override
    public Transport transport() {
        return Transport.MERCURE;
    }

    @Override
    public String contentType() {
        return SseEncoder.MEDIA_TYPE;
    }

    /** The id the stream starts after, so a client cut off before its first event resumes from there. */
    @Override
    public byte[] opening(Cursor cursor) {
        return ("id: " + MercureId.of(cursor) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encode(Outbound item) {
        if (item instanceof Event e) {
            StringBuilder frame = new StringBuilder(128);
            SseEncoder.field(frame, "id", MercureId.of(e));
            if (!Event.DEFAULT_TYPE.equals(e.type())) {
                SseEncoder.field(frame, "event", e.type());
            }
            if (e.meta().retryMillis() > 0) {
                frame.append("retry: ").append(e.meta().retryMillis()).append('\n');
            }
            SseEncoder.field(frame, "data", dataOf(e));
            return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        }
        if (item instanceof ControlEvent c && c.retryMillis() > 0) {
            return ("retry: " + c.retryMillis() + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
        return NOTHING;
    }

    @Override
    public byte[] keepAlive() {
        return KEEP_ALIVE;
    }

    /** The data as a Mercure subscriber gets it: a Mercure publisher's text as sent, else the JSON. */
    static String dataOf(Event e) {
        if (!e.meta().text()) {
            return e.data();
        }
        try (JsonReader reader = JsonText.reader("[" + e.data() + "]")) {
            JsonArray one = reader.readArray();
            return one.getString(0);
        }
    }
}
