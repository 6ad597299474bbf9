package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.spring.CachescopeAutoConfiguration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * What the Spring Boot starter costs a {@code @Cacheable} hit, through Spring's whole caching stack
 * (proxy, key generation, cache resolution, Caffeine), side by side with the peers:
 *
 * <ul>
 *   <li>{@code bare}: the starter present but {@code cachescope.enabled=false}, so nothing is
 *       wrapped;
 *   <li>{@code recordStats}: the same with Caffeine's {@code recordStats()}, which Spring Boot's
 *       Micrometer cache metrics need;
 *   <li>{@code cachescope}: the starter on, OpenTelemetry span events off;
 *   <li>{@code cachescope-otel}: the starter on with the OpenTelemetry API present and no span
 *       active, which costs one {@code Span.current()} check per operation.
 * </ul>
 *
 * <p>{@code java -jar cachescope-benchmarks/target/benchmarks.jar SpringCacheableBenchmark -prof
 * gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class SpringCacheableBenchmark {
  @Param({"bare", "recordStats", "cachescope", "cachescope-otel"})
  public String setup;

  AnnotationConfigApplicationContext context;
  Catalog catalog;

  @Setup(Level.Trial)
  public void setUp() {
    context = new AnnotationConfigApplicationContext();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "benchmark",
                Map.of(
                    "cachescope.enabled", setup.startsWith("cachescope"),
                    "cachescope.tracing.enabled", setup.equals("cachescope-otel"),
                    "cachescope.backends[0].type", "logger",
                    "cachescope.backends[0].enabled", false,
                    "benchmark.record-stats", setup.equals("recordStats"))));
    context.register(CachingConfiguration.class, CachescopeAutoConfiguration.class);
    context.refresh();
    catalog = context.getBean(Catalog.class);
    for (int key = 0; key < OverheadBenchmark.KEYS; key++) {
      catalog.title(key);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
  }

  @Benchmark
  public String cacheableHit(OverheadBenchmark.Cursor cursor) {
    return catalog.title(cursor.next());
  }

  /** A Caffeine-backed manager and one {@code @Cacheable} service, as a Boot application has. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  public static class CachingConfiguration {
    @Bean
    public CaffeineCacheManager cacheManager(
        @Value("${benchmark.record-stats}") boolean recordStats) {
      Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(100_000);
      CaffeineCacheManager manager = new CaffeineCacheManager("titles");
      manager.setCaffeine(recordStats ? builder.recordStats() : builder);
      return manager;
    }

    @Bean
    public Catalog catalog() {
      return new Catalog();
    }
  }

  /** The cached service. */
  public static class Catalog {
    @Cacheable("titles")
    public String title(int id) {
      return "Book " + id;
    }
  }
}
