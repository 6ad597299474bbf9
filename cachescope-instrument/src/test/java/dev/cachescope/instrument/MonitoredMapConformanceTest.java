package dev.cachescope.instrument;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.testers.CollectionAddAllTester;
import com.google.common.collect.testing.testers.CollectionAddTester;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import dev.cachescope.instrument.guava.GuavaMonitoring;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import junit.framework.Test;
import junit.framework.TestSuite;

/**
 * Guava testlib's ConcurrentMap conformance suite against every monitored map: the map adapter over
 * ConcurrentHashMap, and the {@code asMap()} views of monitored Caffeine and Guava caches. Run by
 * the JUnit Vintage engine (JUnit 3 {@code suite()} method).
 */
public final class MonitoredMapConformanceTest {
  private MonitoredMapConformanceTest() {}

  public static Test suite() {
    TestSuite suite = new TestSuite("cachescope monitored maps");
    // Control: the bare delegate, under the same suppressions, so they are the JDK's, not ours.
    suite.addTest(
        suiteFor(
            "bare ConcurrentHashMap [control]", aggregator -> new ConcurrentHashMap<>(), true));
    suite.addTest(
        suiteFor(
            "MapMonitoring over ConcurrentHashMap",
            aggregator -> MapMonitoring.monitor(new ConcurrentHashMap<>(), aggregator, "map"),
            true));
    suite.addTest(
        suiteFor(
            "CaffeineMonitoring asMap",
            aggregator ->
                CaffeineMonitoring.<String, String>build(
                        Caffeine.newBuilder().executor(Runnable::run), aggregator, "caffeine")
                    .asMap(),
            false));
    suite.addTest(
        suiteFor(
            "GuavaMonitoring asMap",
            aggregator ->
                GuavaMonitoring.<String, String>build(
                        CacheBuilder.newBuilder(), aggregator, "guava")
                    .asMap(),
            false));
    return suite;
  }

  /**
   * ConcurrentHashMap's entrySet() supports add(), a JDK extension beyond the Map contract that
   * testlib checks; the three testers that expect UnsupportedOperationException fail on the bare
   * map too (the control suite shows it), so they are suppressed for maps backed by one.
   */
  private static final Set<Method> CHM_ENTRY_SET_ADD =
      Set.of(
          CollectionAddTester.getAddUnsupportedNotPresentMethod(),
          CollectionAddAllTester.getAddAllUnsupportedNonePresentMethod(),
          CollectionAddAllTester.getAddAllUnsupportedSomePresentMethod());

  private static Test suiteFor(
      String name,
      Function<MetricsAggregator, ConcurrentMap<String, String>> factory,
      boolean backedByConcurrentHashMap) {
    return ConcurrentMapTestSuiteBuilder.using(
            new TestStringMapGenerator() {
              @Override
              protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                MetricsAggregator aggregator =
                    MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
                ConcurrentMap<String, String> map = factory.apply(aggregator);
                for (Map.Entry<String, String> entry : entries) {
                  map.put(entry.getKey(), entry.getValue());
                }
                return map;
              }
            })
        .named(name)
        .suppressing(backedByConcurrentHashMap ? CHM_ENTRY_SET_ADD : Set.of())
        .withFeatures(
            CollectionSize.ANY,
            MapFeature.GENERAL_PURPOSE,
            CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
        .createTestSuite();
  }
}
