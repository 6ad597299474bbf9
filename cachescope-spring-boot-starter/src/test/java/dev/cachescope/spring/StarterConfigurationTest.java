package dev.cachescope.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.config.BackendType;
import dev.cachescope.export.config.ConfigException;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.export.http.MetricsHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;

/** The {@code cachescope.*} properties, how managers are proxied, and what backs off when. */
class StarterConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CachescopeAutoConfiguration.class))
          .withBean(
              "cacheManager",
              ConcurrentMapCacheManager.class,
              () -> new ConcurrentMapCacheManager("books"));

  @Test
  void theTestsRunOnTheSpringBootLineTheBuildAsksFor() {
    // 3.5 by default, 4.0 with -Pboot4: a profile that silently ran the old line would prove
    // nothing.
    String expected = System.getProperty("cachescope.expected-boot-line", "3.5");
    assertThat(BootLines.bootVersion()).startsWith(expected + ".");
  }

  @Test
  void propertiesMirrorMonitoringYaml() {
    runner
        .withPropertyValues(
            "cachescope.max-operations-history=500",
            "cachescope.hit-sample-rate=8",
            "cachescope.track-keys=true",
            "cachescope.backends[0].type=logger",
            "cachescope.backends[0].log-level=DEBUG",
            "cachescope.caches[books].enabled=false",
            "cachescope.caches[authors].track-timing=false",
            "cachescope.alerts.evaluate-every-seconds=2",
            "cachescope.alerts.rules[0].name=slow",
            "cachescope.alerts.rules[0].metric=p99_ms",
            "cachescope.alerts.rules[0].above=50",
            "cachescope.alerts.rules[0].for=30s")
        .run(
            context -> {
              MonitoringConfig config = context.getBean(MonitoringConfig.class);
              assertThat(config.maxOperationsHistory()).isEqualTo(500);
              assertThat(config.hitSampleRate()).isEqualTo(8);
              assertThat(config.trackKeys()).isTrue();
              assertThat(config.backends()).hasSize(1);
              assertThat(config.logger().orElseThrow().logLevel()).isEqualTo("DEBUG");
              assertThat(config.cache("books").enabled()).isFalse();
              assertThat(config.cache("authors").trackTiming()).isFalse();
              assertThat(config.alerts().rules()).hasSize(1);
              assertThat(config.alerts().rules().get(0).name()).isEqualTo("slow");
              assertThat(config.alerts().evaluateEvery()).hasSeconds(2);

              CacheMonitor books =
                  context.getBean(MetricsAggregator.class).monitor("books").orElseThrow();
              assertThat(books.isEnabled()).as("caches.books.enabled=false").isFalse();
              assertThat(books.historyCapacity()).isEqualTo(500);
            });
  }

  @Test
  void idesCanCompleteThePropertiesFromTheirMetadata() throws Exception {
    try (var in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      JsonNode metadata = new ObjectMapper().readTree(Objects.requireNonNull(in));
      List<String> names = new java.util.ArrayList<>();
      metadata.get("properties").forEach(p -> names.add(p.get("name").asText()));
      assertThat(names)
          .contains(
              "cachescope.enabled",
              "cachescope.hit-sample-rate",
              "cachescope.backends",
              "cachescope.alerts.rules",
              "cachescope.tracing.sample-rate",
              "cachescope.dashboard.path");
      metadata
          .get("properties")
          .forEach(p -> assertThat(p.path("description").asText()).as(p.toString()).isNotBlank());
    }
  }

  @Test
  void withNoPropertiesTheDefaultsAreTheFilesDefaults() {
    runner.run(
        context ->
            assertThat(context.getBean(MonitoringConfig.class))
                .isEqualTo(
                    MonitoringConfig.fromSettings(
                        new CachescopeProperties().toSettings(),
                        "test",
                        "cachescope",
                        java.util.Map.of()))
                .satisfies(
                    config -> {
                      assertThat(config.enabled()).isTrue();
                      assertThat(config.backend(BackendType.LOGGER)).isPresent();
                      assertThat(config.backend(BackendType.API)).isEmpty();
                      assertThat(config.hitSampleRate()).isEqualTo(1 << 20);
                      assertThat(config.trackKeys()).isFalse();
                    }));
  }

  @Test
  void badValuesStopStartUpNamingTheKeyAndWhatWasExpected() {
    assertFailure(
        "cachescope.hit-sample-rate=3",
        "Spring Boot properties: cachescope.hit_sample_rate: expected a power of two");
    assertFailure(
        "cachescope.backends[0].type=ftp",
        "Spring Boot properties: cachescope.backends[0].type:",
        "logger, json, api");
    assertFailure(
        "cachescope.alerts.rules[0].name=r", "Spring Boot properties: cachescope.alerts.rules[0]");
  }

  private void assertFailure(String property, String... fragments) {
    runner
        .withPropertyValues(property)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root = context.getStartupFailure();
              while (root.getCause() != null && !(root instanceof ConfigException)) {
                root = root.getCause();
              }
              assertThat(root).isInstanceOf(ConfigException.class);
              for (String fragment : fragments) {
                assertThat(root.getMessage()).contains(fragment);
              }
            });
  }

  @Test
  void theApiBackendStartsFromProperties() {
    runner
        .withPropertyValues("cachescope.backends[0].type=api", "cachescope.backends[0].port=0")
        .run(
            context -> {
              MetricsHttpServer server = context.getBean(Monitoring.class).server().orElseThrow();
              HttpResponse<String> response =
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(URI.create(server.url() + "/api")).build(),
                          HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              JsonNode body = new ObjectMapper().readTree(response.body());
              assertThat(body.get("caches").toString()).contains("books");
            });
  }

  @Test
  void managersKeepTheirConcreteTypeAndDeclaredCachesAreListedAtStartUp() {
    runner.run(
        context -> {
          ConcurrentMapCacheManager manager = context.getBean(ConcurrentMapCacheManager.class);
          assertThat(AopUtils.isAopProxy(manager)).isTrue();
          assertThat(manager.getCacheNames()).containsExactly("books");
          assertThat(context.getBean(MetricsAggregator.class).cacheNames()).contains("books");
        });
  }

  @Test
  void disabledMonitoringLeavesManagersAlone() {
    runner
        .withPropertyValues("cachescope.enabled=false")
        .run(
            context -> {
              CacheManager manager = context.getBean(CacheManager.class);
              assertThat(AopUtils.isAopProxy(manager)).isFalse();
              assertThat(manager.getCache("books")).isInstanceOf(ConcurrentMapCache.class);
              assertThat(context.getBean(MetricsAggregator.class).cacheNames()).isEmpty();
            });
  }

  @Test
  void aFinalManagerClassGetsAnInterfaceProxy() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachescopeAutoConfiguration.class))
        .withBean("finalManager", CacheManager.class, FinalManager::new)
        .run(
            context -> {
              CacheManager manager = context.getBean(CacheManager.class);
              assertThat(AopUtils.isJdkDynamicProxy(manager)).isTrue();
              Cache cache = Objects.requireNonNull(manager.getCache("only"));
              cache.put("k", "v");
              assertThat(cache.get("k")).isNotNull();
              assertThat(
                      context
                          .getBean(MetricsAggregator.class)
                          .snapshot("only")
                          .orElseThrow()
                          .hits())
                  .isEqualTo(1);
            });
  }

  @Test
  void twoManagersWithTheSameCacheNameGetTwoMonitors() {
    runner
        .withBean(
            "reportsCacheManager", CacheManager.class, () -> new ConcurrentMapCacheManager("books"))
        .run(
            context -> {
              assertThat(context.getBean(MetricsAggregator.class).cacheNames())
                  .containsExactlyInAnyOrder("books", "reportsCacheManager:books");
            });
  }

  @Test
  void anExceptionFromTheCacheReachesTheCallerUnchangedAndIsCounted() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachescopeAutoConfiguration.class))
        .withBean("brokenManager", CacheManager.class, FinalManager::broken)
        .run(
            context -> {
              Cache cache =
                  Objects.requireNonNull(context.getBean(CacheManager.class).getCache("only"));
              IllegalStateException thrown = null;
              try {
                cache.get("k");
              } catch (IllegalStateException e) {
                thrown = e;
              }
              assertThat(thrown).isSameAs(FinalManager.FAILURE);
              assertThat(
                      context
                          .getBean(MetricsAggregator.class)
                          .snapshot("only")
                          .orElseThrow()
                          .errors())
                  .isEqualTo(1);
            });
  }

  @Test
  void withoutTheActuatorThereIsNoEndpointAndCachesAreStillMonitored() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(CachescopeEndpoint.class);
              assertThat(context.getBean(MetricsAggregator.class).cacheNames()).contains("books");
            });
  }

  @Test
  void theDashboardIsOffByDefaultAndABadPathNamesTheKey() {
    WebApplicationContextRunner web =
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachescopeAutoConfiguration.class));
    web.run(context -> assertThat(context).doesNotHaveBean("cachescopeDashboard"));
    web.withPropertyValues("cachescope.dashboard.enabled=true")
        .run(context -> assertThat(context).hasBean("cachescopeDashboard"));
    web.withPropertyValues("cachescope.dashboard.enabled=true", "cachescope.dashboard.path=stats/")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("cachescope.dashboard.path must be a path")
                    .hasMessageContaining("'stats/'"));
    runner
        .withPropertyValues("cachescope.dashboard.enabled=true")
        .run(context -> assertThat(context).doesNotHaveBean("cachescopeDashboard"));
  }

  /** A manager whose class is final, with one map cache (or one that always throws). */
  static final class FinalManager implements CacheManager {
    static final IllegalStateException FAILURE = new IllegalStateException("store down");
    private final Cache cache;

    FinalManager() {
      this.cache = new ConcurrentMapCache("only");
    }

    private FinalManager(Cache cache) {
      this.cache = cache;
    }

    static FinalManager broken() {
      return new FinalManager(
          new ConcurrentMapCache("only") {
            @Override
            public @Nullable ValueWrapper get(Object key) {
              throw FAILURE;
            }

            @Override
            public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
              throw FAILURE;
            }
          });
    }

    @Override
    public @Nullable Cache getCache(String name) {
      return name.equals("only") ? cache : null;
    }

    @Override
    public Collection<String> getCacheNames() {
      return List.of("only");
    }
  }
}
