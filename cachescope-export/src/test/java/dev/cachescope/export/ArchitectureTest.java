package dev.cachescope.export;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Exporters only read snapshots and drained operations: never adapters, never the engine's insides.
 */
class ArchitectureTest {
  private static final JavaClasses EXPORT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.cachescope.export");

  @Test
  void exportersDoNotReachIntoAdaptersOrTheEnginesInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.cachescope.instrument..", "dev.cachescope.internal..")
        .because("dependencies point one way: export reads the core's public API")
        .check(EXPORT);
  }

  @Test
  void micrometerStaysInTheBinder() {
    noClasses()
        .that()
        .haveNameNotMatching("dev\\.cachescope\\.export\\.metrics\\.CachescopeMeterBinder(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..")
        .because("micrometer-core is a provided dependency; only the binder may touch it")
        .check(EXPORT);
  }
}
