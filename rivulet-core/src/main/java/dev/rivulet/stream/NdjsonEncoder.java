package dev.rivulet.stream;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Transport;
import java.nio.charset.StandardCharsets;

/**
 * Newline-delimited JSON: one object a line. An event is the envelope
 * {@code {"id","topic","type","data","time"}}; a control line has a reserved {@code type}
 * ({@code open}, {@code keep-alive}, {@code gap}, {@code lagged}, {@code shutdown}) and no topic.
 */
public final class NdjsonEncoder implements StreamEncoder {

    public static final String MEDIA_TYPE = "application/x-ndjson";
    private static final byte[] KEEP_ALIVE = "{\"type\":\"keep-alive\"}\n".getBytes(StandardCharsets.UTF_8);

    @Override
    public Transport transport() {
        return Transport.NDJSON;
    }

    @Override
    public String contentType() {
        return MEDIA_TYPE;
    }

    @Override
    public byte[] opening(Cursor cursor) {
        return ("{\"type\":\"open\",\"id\":\"" + cursor + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encode(Outbound item) {
        return NdjsonEncoder.line(item);
    }

    @Override
    public byte[] keepAlive() {
        return KEEP_ALIVE;
    }

    /** One NDJSON line for an event or control event. */
    public static byte[] line(Outbound item) {
        StringBuilder line = new StringBuilder(160);
        if (item instanceof Event e) {
            line.append("{\"id\":\"").append(e.id())
                    .append("\",\"topic\":").append(JsonText.quote(e.topic()))
                    .append(",\"type\":").append(JsonText.quote(e.type()))
                    .append(",\"data\":").append(e.data())
                    .append(",\"time\":\"").append(e.time()).append("\"}\n");
        } else if (item instanceof ControlEvent c) {
            line.append("{\"type\":").append(JsonText.quote(c.type()))
                    .append(",\"data\":").append(c.data()).append("}\n");
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }
}
