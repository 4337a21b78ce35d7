package dev.rivulet.ops;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database behind {@code jdbc/rivulet} to the schema this build expects, with Flyway,
 * when the application starts (scripts in {@code db/migration}). A database that cannot be reached
 * or migrated stops the start, with Flyway's reason in the log.
 */
@ApplicationScoped
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/rivulet")
    DataSource dataSource;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        MigrateResult result = migrate(dataSource);
        LOG.info(() -> "Database schema at version " + (result.targetSchemaVersion == null
                ? result.initialSchemaVersion : result.targetSchemaVersion)
                + " (" + result.database + ", " + result.migrationsExecuted + " migrations applied now)");
    }

    /** Applies the migrations {@code dataSource} has not had yet. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                // Liberty's class loader finds a folder only by a file in it: db/migration, and
                // db/callback (which Flyway always reads), hold an empty flyway.location for that.
                // A folder that cannot be found is an error, not an empty schema.
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
