package dev.rivulet.logs;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The log entries in the database behind {@code jdbc/rivulet} (H2 or PostgreSQL; Flyway creates
 * the table at startup). Writes are batched transactions; reads are server-side cursors, fetched
 * a bounded number of rows at a time, in id order.
 */
@ApplicationScoped
public class LogStore {

    private static final String INSERT =
            "INSERT INTO log_entry (logged_at, level, service, message, fields) VALUES (?, ?, ?, ?, ?)";
    private static final String COLUMNS = "SELECT id, logged_at, level, service, message, fields FROM log_entry";

    @Resource(lookup = "jdbc/rivulet")
    DataSource dataSource;

    @Inject
    LogsConfig config;

    private volatile Dialect dialect;

    protected LogStore() {
    }

    /** A store over {@code dataSource}, for code that runs without CDI (tests, tools). */
    public static LogStore of(DataSource dataSource, LogsConfig config) {
        LogStore store = new LogStore();
        store.dataSource = dataSource;
        store.config = config;
        return store;
    }

    /** Stores the entries in one transaction; answers them with the ids they got, in order. */
    public List<LogEntry> insert(List<LogEntry> entries) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT, new String[] {"id"})) {
                for (LogEntry e : entries) {
                    insert.setObject(1, OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC));
                    insert.setInt(2, e.level().severity());
                    insert.setString(3, e.service());
                    insert.setString(4, e.message());
                    if (e.fields() == null) {
                        insert.setNull(5, Types.VARCHAR);
                    } else {
                        insert.setString(5, e.fields());
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                List<LogEntry> stored = new ArrayList<>(entries.size());
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    for (LogEntry e : entries) {
                        if (!keys.next()) {
                            throw new SQLException("the database returned fewer ids than rows inserted");
                        }
                        stored.add(e.withId(keys.getLong(1)));
                    }
                }
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Opens a cursor over the entries that match {@code query}, with ids above its {@code after},
     * in id order, at most its limit. The rows are read as the cursor is advanced.
     */
    public LogCursor open(LogQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE id > ?");
        List<Object> values = new ArrayList<>();
        values.add(query.after());
        if (!query.services().isEmpty()) {
            sql.append(query.services().size() == 1 ? " AND service = ?" : " AND service IN (")
                    .append(query.services().size() == 1 ? "" : "?,".repeat(query.services().size() - 1) + "?)");
            values.addAll(query.services());
        }
        if (query.minLevel() != null) {
            sql.append(" AND level >= ?");
            values.add(query.minLevel().severity());
        }
        if (query.since() != null) {
            sql.append(" AND logged_at >= ?");
            values.add(OffsetDateTime.ofInstant(query.since(), ZoneOffset.UTC));
        }
        if (query.until() != null) {
            sql.append(" AND logged_at < ?");
            values.add(OffsetDateTime.ofInstant(query.until(), ZoneOffset.UTC));
        }
        if (query.text() != null) {
            sql.append(" AND message LIKE ? ESCAPE '\\'");
            values.add("%" + likeLiteral(query.text()) + "%");
        }
        // Rows must come in the order an index holds them, or the database sorts the whole result
        // before the first row. For one service, (service, id) holds them in id order; H2 sees
        // that only when the ORDER BY names the service too.
        sql.append(query.services().size() == 1 ? " ORDER BY service, id" : " ORDER BY id");
        if (query.limited()) {
            // A validated whole number, so it can be part of the text; the planner then knows it.
            sql.append(" FETCH FIRST ").append(query.limit()).append(" ROWS ONLY");
        }

        Connection c = dataSource.getConnection();
        try {
            Dialect dialect = dialect(c);
            if (dialect == Dialect.H2) {
                // H2 otherwise computes the whole result before the first row.
                try (Statement s = c.createStatement()) {
                    s.execute("SET LAZY_QUERY_EXECUTION TRUE");
                }
            }
            // PostgreSQL uses a server-side cursor (a portal) only inside a transaction.
            c.setAutoCommit(false);
            if (dialect == Dialect.POSTGRESQL) {
                // PostgreSQL plans a portal for its whole result, and with stale statistics (just
                // after a bulk ingest) or several services it chose scan-then-sort: nothing leaves
                // until every row is read. An index always yields id order, so an export never
                // sorts; nor does it compile (JIT) a plan whose first row should leave at once.
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL enable_sort = off; SET LOCAL jit = off");
                }
            }
            PreparedStatement statement = c.prepareStatement(sql.toString(),
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            try {
                statement.setFetchSize(config.fetchSize());
                for (int i = 0; i < values.size(); i++) {
                    statement.setObject(i + 1, values.get(i));
                }
                return new LogCursor(c, statement, statement.executeQuery());
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            try (c) {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The databases whose planners need a word to stream an export. */
    private enum Dialect { H2, POSTGRESQL, OTHER }

    private Dialect dialect(Connection c) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            known = product.contains("h2") ? Dialect.H2 : product.contains("postgres") ? Dialect.POSTGRESQL : Dialect.OTHER;
            dialect = known;
        }
        return known;
    }

    /** {@code text} with LIKE's wildcards escaped, so it matches only itself. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
