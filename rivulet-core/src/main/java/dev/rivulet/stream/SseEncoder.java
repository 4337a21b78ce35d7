package dev.rivulet.stream;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Transport;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing. An event is {@code id:}, {@code event:} and one {@code data:} line
 * per line of its data; a control event has no id, so a browser's last id stays on real events.
 * Every value is split at line breaks before it is written, so no published text can end a frame
 * or add a field. A control event with a reconnect hint (the {@code shutdown} notice) carries it as
 * {@code retry:} too, which a browser's {@code EventSource} uses as its reconnection delay.
 */
public final class SseEncoder implements StreamEncoder {

    public static final String MEDIA_TYPE = "text/event-stream";
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    @Override
    public Transport transport() {
        return Transport.SSE;
    }

    @Override
    public String contentType() {
        return MEDIA_TYPE;
    }

    @Override
    public byte[] opening(Cursor cursor) {
        return ("id: " + cursor + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encode(Outbound item) {
        StringBuilder frame = new StringBuilder(128);
        if (item instanceof Event e) {
            frame.append("id: ").append(e.id()).append('\n');
            field(frame, "event", e.type());
            field(frame, "data", e.data());
        } else if (item instanceof ControlEvent c) {
            if (c.retryMillis() > 0) {
                frame.append("retry: ").append(c.retryMillis()).append('\n');
            }
            field(frame, "event", c.type());
            field(frame, "data", c.data());
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] keepAlive() {
        return KEEP_ALIVE;
    }

    /** One {@code name: line} per line of {@code value}; CR, LF and CRLF all end a line. */
    public static void field(StringBuilder frame, String name, String value) {
        int start = 0;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                frame.append(name).append(": ").append(value, start, i).append('\n');
                if (c == '\r' && i + 1 < n && value.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        frame.append(name).append(": ").append(value, start, n).append('\n');
    }
}
