package dev.rivulet.logs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An open export query: rows come from the database a fetch at a time as the caller asks for
 * them, so the caller's pace (the client's socket) drives the query and only one fetch is ever
 * held. Closing it (early or not) ends the query and returns the connection to the pool;
 * {@link #cancel} stops a query that is busy in the database, from any thread.
 */
public final class LogCursor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogCursor.class.getName());

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private boolean closed;

    LogCursor(Connection connection, PreparedStatement statement, ResultSet rows) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
    }

    /** The next entry, or null when there are no more. */
    public LogEntry next() throws SQLException {
        if (!rows.next()) {
            return null;
        }
        return new LogEntry(rows.getLong(1),
                rows.getObject(2, OffsetDateTime.class).toInstant(),
                LogLevel.ofSeverity(rows.getInt(3)),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6));
    }

    /** Asks the database to stop the query; the reader then sees an exception and closes. */
    public void cancel() {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "Cancelling an export query failed", e);
        }
    }

    /** Ends the query and returns the connection to the pool. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (connection) {
            try (statement; rows) {
                // closing the result set first ends the server-side cursor
            } finally {
                // A read-only transaction: ending it releases the query's snapshot.
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Closing an export query failed", e);
        }
    }
}
