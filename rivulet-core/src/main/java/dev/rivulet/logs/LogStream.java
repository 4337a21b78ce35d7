package dev.rivulet.logs;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Subscription;
import dev.rivulet.stream.Connection;
import dev.rivulet.web.Problem;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * One {@code GET /api/logs} response: the stored entries that match, read through a database
 * cursor as fast as the client takes them; then, for {@code follow=true}, new entries as they are
 * ingested, from the hub.
 *
 * <p>It is the feed of a {@link Connection}, written by that connection's virtual thread. A turn
 * either <em>catches up</em> from the store (a cursor from the last id sent, holding a database
 * connection while the client reads) or writes what the live subscription holds (holding nothing
 * between turns, so an idle tail is a parked virtual thread). A tail subscribes to the hub before
 * its first query, so entries committed while the query runs wait in its queue; the ids it has
 * sent tell which of them the query already carried. When the queue overflows because the client reads slowly, the tail does not lose
 * entries: it subscribes again and catches up from the store.
 *
 * <p>A tail's connection holds a {@link dev.rivulet.gate.Permit} of the connection gate, released
 * once with the reason it ended; an export holds none. When the node drains, a tail sends the live
 * entries it already holds, then the {@code shutdown} notice, and ends; one that is catching up stops at the row it has reached, so the client resumes
 * with {@code after=} its last id and nothing is skipped.
 */
final class LogStream implements Connection.Feed {

    private static final Logger LOG = Logger.getLogger(LogStream.class.getName());
    /** Live entries written per turn before the turn yields its thread. */
    private static final int LIVE_BATCH = 256;
    /** The longest a written row waits in the response buffer while an export reads on. */
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LogQuery query;
    /** The reader's token: live entries are private events, seen under its subscribe claim; a tail ends when it expires. */
    private final Grant grant;
    private final LogFormat format;
    private final boolean gzip;
    private final LogStore store;
    private final Hub hub;
    private final LogMetrics metrics;
    private final int fetchSize;
    private final Connection connection;

    private AsyncContext async;
    private HttpServletResponse response;
    private OutputStream out;
    private volatile Subscriber subscriber;
    private volatile LogCursor cursor;
    /** The highest id this stream has dealt with, sent or filtered out. */
    private long position;
    private long sent;
    private boolean catchUpDue = true;
    /** The next catch-up is because live entries were lost to a full queue. */
    private boolean behind;
    /** Set when the node drains: the notice this tail ends with. */
    private volatile ControlEvent farewell;

    LogStream(LogQuery query, Grant grant, LogFormat format, boolean gzip, LogStore store,
              Hub hub, LogMetrics metrics, int fetchSize, Connection connection) {
        this.query = query;
        this.grant = grant;
        this.format = format;
        this.gzip = gzip;
        this.store = store;
        this.hub = hub;
        this.metrics = metrics;
        this.fetchSize = fetchSize;
        this.connection = connection;
        this.position = query.after();
    }

    /** Binds the stream to its asynchronous response. A tail subscribes now, before any query. */
    void bind(AsyncContext asyncContext, HttpServletResponse servletResponse) {
        this.response = servletResponse;
        this.async = asyncContext;
        if (query.follow()) {
            subscriber = hub.subscribe(Subscription.to(query.selectors(), connection::wake).seeing(grant.subscribe()));
        }
    }

    /**
     * The node drains: a tail writes what it already holds, then {@code notice}, and ends. An
     * export goes on to its end (the drain waits for it within the grace).
     */
    @Override
    public void leave(ControlEvent notice) {
        if (!query.follow() || farewell != null) {
            return;
        }
        farewell = notice;
        Subscriber s = subscriber;
        if (s != null) {
            // Queued behind the entries it already holds.
            s.shutdown(notice);
        }
    }

    @Override
    public Connection.Turn write() throws IOException {
        try {
            if (catchUpDue) {
                catchUp();
                // What the live queue took meanwhile is written next.
                return Connection.Turn.FULL;
            }
            return writeLive();
        } catch (SQLException e) {
            storeFailed(e);
            return Connection.Turn.WROTE;
        } catch (RuntimeException e) {
            if (connection.closeReason() == null) {
                LOG.log(Level.WARNING, "A log stream failed", e);
            }
            throw e;
        }
    }

    @Override
    public void keepAlive() throws IOException {
        if (out == null) {
            return; // still catching up, which writes as it goes
        }
        write(format.keepAlive());
        out.flush();
    }

    /** Sends the stored entries after {@link #position}, reading them as the client takes them. */
    private void catchUp() throws IOException, SQLException {
        if (farewell != null) {
            sayGoodbye();
            return;
        }
        if (query.follow() && subscriber.isClosed()) {
            // Live entries were lost to a full queue: subscribe again before reading the store.
            subscriber = hub.subscribe(Subscription.to(query.selectors(), connection::wake).seeing(grant.subscribe()));
            CloseReason closed = connection.closeReason();
            if (closed != null) {
                // Closed while it subscribed: closing() may have let go of the old subscription only.
                subscriber.close(closed);
                return;
            }
        }
        if (behind) {
            behind = false;
            metrics.tailCaughtUp();
        }
        long remaining = query.limited() ? query.limit() - sent : LogQuery.NO_LIMIT;
        long written = 0;
        try (LogCursor rows = store.open(query.resumed(position, remaining))) {
            cursor = rows;
            begin();
            long lastFlush = System.nanoTime();
            StringBuilder line = new StringBuilder(512);
            LogEntry e;
            while (connection.closeReason() == null && farewell == null && (e = rows.next()) != null) {
                write(format.entry(e, line));
                position = e.id();
                written++;
                // The first line leaves at once; then a flush per fetch, before the next round trip.
                if (written == 1 || written % fetchSize == 0 || System.nanoTime() - lastFlush > FLUSH_NANOS) {
                    out.flush();
                    lastFlush = System.nanoTime();
                    // Virtual threads are not time-sliced: a long export lets other connections write.
                    Thread.yield();
                }
            }
        } finally {
            cursor = null;
            sent += written;
            metrics.exported(written);
        }
        catchUpDue = false;
        if (connection.closeReason() != null) {
            return;
        }
        if (farewell != null) {
            // Stopped at the row it reached: live entries after it would leave a gap.
            sayGoodbye();
        } else if (!query.follow() || limitReached()) {
            finish(CloseReason.DONE);
        } else {
            out.flush();
        }
    }

    /** Sends what the live subscription holds: entries after {@link #position} that match. */
    private Connection.Turn writeLive() throws IOException {
        Subscriber s = subscriber;
        if (s.isClosed()) {
            if (s.closeReason() == CloseReason.SHUTDOWN) {
                finish(CloseReason.SHUTDOWN);
            } else if (farewell != null) {
                sayGoodbye(); // its queue overflowed during the drain: no catching up now
            } else {
                catchUpDue = true;
                behind = true;
                return Connection.Turn.FULL;
            }
            return Connection.Turn.WROTE;
        }
        boolean wrote = false;
        int items = 0;
        for (; items < LIVE_BATCH; items++) {
            Outbound item = s.poll();
            if (item == null) {
                break;
            }
            if (item instanceof ControlEvent c && c == farewell) {
                // Everything queued before the drain is written.
                if (wrote) {
                    out.flush();
                }
                sayGoodbye();
                return Connection.Turn.WROTE;
            }
            if (item instanceof ControlEvent) {
                // "lagged": entries were dropped from the queue; the store still has them.
                catchUpDue = true;
                behind = true;
                items = LIVE_BATCH;
                break;
            }
            Event event = (Event) item;
            LogEntry e = LogEntry.fromStoredJson(event.data());
            if (e.id() <= position) {
                continue; // the store's answer carried it already
            }
            position = e.id();
            if (query.matches(e)) {
                write(format.entry(e.id(), event.data()));
                wrote = true;
                sent++;
                metrics.exported(1);
                if (limitReached()) {
                    finish(CloseReason.DONE);
                    return Connection.Turn.WROTE;
                }
            }
        }
        if (wrote) {
            out.flush();
        }
        return items == LIVE_BATCH ? Connection.Turn.FULL : wrote ? Connection.Turn.WROTE : Connection.Turn.IDLE;
    }

    /** Commits the response head once the first query has opened, so a failing store is still a 503. */
    private void begin() throws IOException {
        if (out != null) {
            return;
        }
        response.setStatus(200);
        response.setContentType(format.mediaType());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Stream-Format", format.headerName());
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader("Vary", "Accept, Accept-Encoding");
        OutputStream body = response.getOutputStream();
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
            // Sync-flush: every flush sends whole lines, so a tail stays live through gzip.
            body = new GZIPOutputStream(body, 8192, true);
        }
        out = body;
        response.flushBuffer();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    private boolean limitReached() {
        return query.limited() && sent >= query.limit();
    }

    private void storeFailed(SQLException e) {
        LOG.log(Level.WARNING, "A log export failed in the store", e);
        Problem problem = new Problem(503, "store-unavailable", "Service unavailable",
                "the log store failed; resume with after=<the last id received>");
        try {
            if (out == null && !response.isCommitted()) {
                problem.write(response);
            } else if (out != null) {
                write(format.problem(problem));
                out.flush();
            }
            finish(CloseReason.ERROR);
        } catch (IOException | RuntimeException gone) {
            connection.close(CloseReason.CLIENT_GONE);
        }
    }

    /** The drain's notice as the tail's last line, then the end. */
    private void sayGoodbye() throws IOException {
        begin();
        write(format.control(farewell));
        finish(CloseReason.SHUTDOWN);
    }

    /** Ends the stream as it should end: the rest of the body, then the response's end. */
    private void finish(CloseReason reason) throws IOException {
        if (out != null) {
            out.close();
        }
        connection.close(reason);
    }

    /** Lets go of the subscription and the database cursor at once, whatever the writer is doing. */
    @Override
    public void closing(CloseReason reason) {
        Subscriber s = subscriber;
        if (s != null) {
            s.close(reason);
        }
        LogCursor c = cursor;
        if (c != null) {
            c.cancel();
        }
    }

    /** Completes the response, once the writer is done with it. */
    @Override
    public void end(CloseReason reason) {
        metrics.streamClosed(reason == CloseReason.CLIENT_GONE);
        if (out != null) {
            try {
                out.close(); // also releases the gzip compressor
            } catch (IOException | RuntimeException ignored) {
                // the connection is gone
            }
        }
        try {
            async.complete();
        } catch (RuntimeException alreadyDone) {
            // the container ended the request first; nothing left to release
        }
    }
}
