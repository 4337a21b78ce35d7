package dev.rivulet.logs;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Transport;
import dev.rivulet.stream.NdjsonEncoder;
import dev.rivulet.stream.SseEncoder;
import dev.rivulet.web.AcceptHeader;
import dev.rivulet.web.Problem;
import java.nio.charset.StandardCharsets;

/**
 * How an export or tail puts log entries on the wire. NDJSON (the default, for programs and
 * {@code curl}): each line is the entry itself, and a silent tail sends an empty line, which JSON
 * line readers skip. SSE (for browsers): each entry is an event {@code log} whose id is the entry's
 * id, so an {@code EventSource} resumes after the last entry it saw.
 */
enum LogFormat {

    NDJSON(NdjsonEncoder.MEDIA_TYPE, "ndjson", Transport.NDJSON) {
        @Override
        byte[] entry(long id, String json) {
            return (json + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        byte[] entry(LogEntry e, StringBuilder scratch) {
            scratch.setLength(0);
            return e.appendJson(scratch).append('\n').toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        byte[] keepAlive() {
            return NEWLINE;
        }

        @Override
        byte[] problem(Problem p) {
            return (p.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        byte[] control(ControlEvent c) {
            return NdjsonEncoder.line(c);
        }
    },

    SSE(SseEncoder.MEDIA_TYPE, "sse", Transport.SSE) {
        private final SseEncoder frames = new SseEncoder();

        @Override
        byte[] entry(long id, String json) {
            // The hub's SSE framing, with the entry's id as the event id (the topic is not written).
            return frames.encode(new Event(Cursor.of(id), "logs", LogIngest.EVENT_TYPE, json, null, false));
        }

        @Override
        byte[] keepAlive() {
            return frames.keepAlive();
        }

        @Override
        byte[] problem(Problem p) {
            return ("event: problem\ndata: " + p.toJson() + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        byte[] control(ControlEvent c) {
            return frames.encode(c);
        }
    };

    private static final byte[] NEWLINE = {'\n'};

    private final String mediaType;
    private final String name;
    private final Transport transport;

    LogFormat(String mediaType, String name, Transport transport) {
        this.mediaType = mediaType;
        this.name = name;
        this.transport = transport;
    }

    /** The transport a tail in this format is admitted and counted as. */
    Transport transport() {
        return transport;
    }

    String mediaType() {
        return mediaType;
    }

    /** The value of the {@code X-Stream-Format} response header. */
    String headerName() {
        return name;
    }

    /** One entry, given as its JSON text. */
    abstract byte[] entry(long id, String json);

    /** One entry read from the store; {@code scratch} is a builder this call may reuse. */
    byte[] entry(LogEntry e, StringBuilder scratch) {
        return entry(e.id(), e.toJson());
    }

    /** Written on a silent tail: finds clients that have gone away. */
    abstract byte[] keepAlive();

    /** The last thing on a stream that the server had to break off. */
    abstract byte[] problem(Problem p);

    /**
     * A message from the hub, as the hub's own streams carry it: the {@code shutdown} notice
     * ({@code {"type":"shutdown","data":{"retry_ms":…}}}, or an SSE event {@code shutdown} with {@code retry:}).
     */
    abstract byte[] control(ControlEvent c);

    /** SSE when the client prefers {@code text/event-stream}; NDJSON otherwise. */
    static LogFormat forAccept(String accept) {
        double sse = AcceptHeader.quality(accept, SSE.mediaType);
        double ndjson = AcceptHeader.quality(accept, NDJSON.mediaType);
        return sse > 0 && sse > ndjson ? SSE : NDJSON;
    }

    /** True when {@code Accept-Encoding} allows gzip (by name, or by {@code *}). */
    static boolean acceptsGzip(String acceptEncoding) {
        double gzip = AcceptHeader.quality(acceptEncoding, "gzip", "x-gzip");
        return gzip >= 0 ? gzip > 0 : AcceptHeader.quality(acceptEncoding, "*") > 0;
    }
}
