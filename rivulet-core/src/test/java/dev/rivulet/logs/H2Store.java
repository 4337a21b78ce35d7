package dev.rivulet.logs;

import dev.rivulet.ops.SchemaMigration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database with the log schema, migrated by the application's own Flyway scripts. */
final class H2Store {

    private H2Store() {
    }

    static DataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("test");
        ds.setPassword("test");
        SchemaMigration.migrate(ds);
        return ds;
    }

    static LogsConfig defaults() {
        return LogsConfig.of(65536, 1000, 4 << 20, 100, 1000);
    }
}
