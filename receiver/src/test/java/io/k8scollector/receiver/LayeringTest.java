package io.k8scollector.receiver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The receiver and the collector share only the protocol (and, in tests, testkit): the receiver's
 * main classes never import the collector's (the collector's LayeringTest says the converse).
 */
class LayeringTest {

    @Test
    void theReceiverNeverImportsTheCollector() {
        JavaClasses receiver = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.k8scollector.receiver");

        noClasses().that().resideInAPackage("io.k8scollector.receiver..")
                .should().dependOnClassesThat().resideInAPackage("io.k8scollector.collector..")
                .check(receiver);
    }
}
