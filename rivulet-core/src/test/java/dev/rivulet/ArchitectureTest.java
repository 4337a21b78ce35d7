package dev.rivulet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout holds itself: packages form no cycle, and each imports only packages above it in
 * the README's architecture list. {@code hub} is the core: it imports no Rivulet package but
 * {@code config}, and no Servlet, JAX-RS or WebSocket type; {@code gate} decides without HTTP too.
 */
class ArchitectureTest {

    private static JavaClasses rivulet;

    @BeforeAll
    static void importClasses() {
        rivulet = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.rivulet");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.rivulet.(*)..").should().beFreeOfCycles().check(rivulet);
    }

    @Test
    void theHubImportsOnlyConfiguration() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.rivulet.hub..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.rivulet.broker..", "dev.rivulet.gate..", "dev.rivulet.web..", "dev.rivulet.stream..",
                        "dev.rivulet.topics..", "dev.rivulet.chat..", "dev.rivulet.logs..", "dev.rivulet.prices..",
                        "dev.rivulet.poll..", "dev.rivulet.ops..")
                .orShould().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.servlet..", "jakarta.ws.rs..", "jakarta.websocket..");
        rule.check(rivulet);
    }

    @Test
    void theGateDecidesWithoutHttp() {
        noClasses().that().resideInAPackage("dev.rivulet.gate..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.servlet..", "jakarta.ws.rs..", "jakarta.websocket..")
                .check(rivulet);
    }

    @Test
    void importsPointUpTheLayerList() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("config").definedBy("dev.rivulet.config..")
                .layer("hub").definedBy("dev.rivulet.hub..")
                .layer("broker").definedBy("dev.rivulet.broker..")
                .layer("gate").definedBy("dev.rivulet.gate..")
                .layer("web").definedBy("dev.rivulet.web..")
                .layer("stream").definedBy("dev.rivulet.stream..")
                .layer("topics").definedBy("dev.rivulet.topics..")
                .layer("chat").definedBy("dev.rivulet.chat..")
                .layer("logs").definedBy("dev.rivulet.logs..")
                .layer("prices").definedBy("dev.rivulet.prices..")
                .layer("poll").definedBy("dev.rivulet.poll..")
                .layer("ops").definedBy("dev.rivulet.ops..")
                .whereLayer("ops").mayNotBeAccessedByAnyLayer()
                .whereLayer("poll").mayOnlyBeAccessedByLayers("ops")
                .whereLayer("prices").mayOnlyBeAccessedByLayers("ops")
                .whereLayer("logs").mayOnlyBeAccessedByLayers("ops")
                .whereLayer("chat").mayOnlyBeAccessedByLayers("ops")
                .whereLayer("topics").mayOnlyBeAccessedByLayers("ops")
                .whereLayer("stream").mayOnlyBeAccessedByLayers("topics", "chat", "logs", "prices", "poll", "ops")
                .whereLayer("web").mayOnlyBeAccessedByLayers("stream", "topics", "chat", "logs", "prices", "poll", "ops")
                .whereLayer("gate").mayOnlyBeAccessedByLayers("web", "stream", "topics", "chat", "logs", "prices", "poll", "ops")
                .whereLayer("broker").mayOnlyBeAccessedByLayers("gate", "web", "stream", "topics", "chat", "logs",
                        "prices", "poll", "ops")
                .whereLayer("hub").mayOnlyBeAccessedByLayers("broker", "gate", "web", "stream", "topics", "chat",
                        "logs", "prices", "poll", "ops")
                .check(rivulet);
    }
}
