package io.k8scollector.collector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collector's layering (docs/architecture.md, "Layers"): {@code cli} over {@code run} over
 * the stages over {@code config}, {@code retry}, {@code digest}, the root package and the
 * protocol; no cycle between packages; each stage sees only the stages named here; the collector
 * never imports the receiver. Main classes only: a test may reach across layers.
 */
class LayeringTest {

    private static final String ROOT = "io.k8scollector.collector";

    /** Every stage, and the other stages it may import. */
    private static final Map<String, List<String>> STAGES = Map.of(
            "discovery", List.of(),
            "listing", List.of("discovery"),
            "redaction", List.of("discovery", "listing"),
            "enrichment", List.of("discovery", "listing", "watching", "tracking"),
            "shipping", List.of(),
            "watching", List.of("discovery"),
            "tracking", List.of("discovery", "watching"),
            "health", List.of(),
            "check", List.of("discovery", "shipping"));

    private static JavaClasses collector;

    @BeforeAll
    static void importTheCollector() {
        collector = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void cliIsOverRunWhichIsOverTheStagesWhichAreOverConfigRetryAndTheProtocol() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy(ROOT + ".cli..")
                .layer("run").definedBy(ROOT + ".run..")
                .layer("stages").definedBy(STAGES.keySet().stream().map(stage -> ROOT + "." + stage + "..").toArray(String[]::new))
                .layer("foundation").definedBy(ROOT, ROOT + ".config..", ROOT + ".retry..", ROOT + ".digest..", "io.k8scollector.protocol..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("run").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("stages").mayOnlyBeAccessedByLayers("cli", "run")
                .check(collector);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(collector);
    }

    @Test
    void eachStageImportsOnlyTheStagesItBuildsOn() {
        STAGES.forEach((stage, allowed) -> {
            String[] others = STAGES.keySet().stream()
                    .filter(other -> !other.equals(stage) && !allowed.contains(other))
                    .map(other -> ROOT + "." + other + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + stage + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because(stage + " builds only on " + (allowed.isEmpty() ? "no other stage" : allowed))
                    .check(collector);
        });
    }

    @Test
    void theCollectorNeverImportsTheReceiver() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAPackage("io.k8scollector.receiver..")
                .check(collector);
    }
}
