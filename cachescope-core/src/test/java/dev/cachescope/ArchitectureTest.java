package dev.cachescope;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core is the engine: it imports no framework, so any application can take it. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.cachescope");

  @Test
  void coreImportsNoFramework() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.github.benmanes.caffeine..",
            "com.google.common..",
            "javax.cache..",
            "org.springframework..",
            "com.fasterxml.jackson..",
            "org.slf4j..",
            "ch.qos.logback..",
            "io.micrometer..",
            "io.opentelemetry..",
            "org.ehcache..")
        .because("cachescope-core must stay framework-free (HdrHistogram is allowed)")
        .check(CORE);
  }

  @Test
  void onlyTheMemorySamplerTouchesJolAnOptionalDependency() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.cachescope.insight.MemorySampler")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.openjdk.jol..")
        .because("JOL is optional: without it memory is reported as unknown")
        .check(CORE);
  }

  @Test
  void insightsDoNotDependOnTheApi() {
    noClasses()
        .that()
        .resideInAPackage("dev.cachescope.insight..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.cachescope")
        .because("the sketches and evaluators are plain algorithms the API feeds")
        .check(CORE);
  }

  @Test
  void internalDoesNotDependOnTheApiExceptItsEnums() {
    noClasses()
        .that()
        .resideInAPackage("dev.cachescope.internal..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching(
            "dev\\.cachescope\\.(CacheMonitor|MetricsAggregator|CacheSnapshot|MetricsSummary)")
        .because("the machinery must not reach back into the API that uses it")
        .check(CORE);
  }
}
