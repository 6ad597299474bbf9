package dev.cachescope.spring;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.CachescopeMeterBinder;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.MonitoringConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Monitors every cache of every {@link CacheManager} bean, with the settings under {@code
 * cachescope.*} ({@link CachescopeProperties}), and starts the backends those settings ask for.
 * With the actuator it adds the {@code cachescope} endpoint; with Micrometer it binds the cache
 * meters to every registry; with the OpenTelemetry API it adds span events. Each bean backs off
 * when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(CachescopeProperties.class)
public class CachescopeAutoConfiguration {

  /** The aggregator every monitored cache registers with; closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public MetricsAggregator cachescopeAggregator() {
    return MetricsAggregator.builder().threadName("cachescope-publisher").build();
  }

  /** The {@code cachescope.*} properties, checked and read as {@code monitoring.yaml} would be. */
  @Bean
  @ConditionalOnMissingBean
  public MonitoringConfig cachescopeMonitoringConfig(CachescopeProperties properties) {
    return MonitoringConfig.fromSettings(
        properties.toSettings(), "Spring Boot properties", "cachescope", System.getenv());
  }

  /** The logger, json, api and alert backends the configuration enables; stopped on close. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Monitoring cachescopeMonitoring(MonitoringConfig config, MetricsAggregator aggregator) {
    return Monitoring.start(config, aggregator);
  }

  @Bean
  MonitoredCaches cachescopeMonitoredCaches(
      MetricsAggregator aggregator,
      MonitoringConfig config,
      ObjectProvider<OperationTracer> tracer) {
    return new MonitoredCaches(
        aggregator, config, tracer.getIfAvailable(() -> OperationTracer.NONE));
  }

  @Bean
  static CacheManagerPostProcessor cachescopeCacheManagerPostProcessor(
      ObjectProvider<MonitoredCaches> caches) {
    return new CacheManagerPostProcessor(caches);
  }

  /** Registers the caches managers declare up front, so they are listed before their first use. */
  @Bean
  SmartInitializingSingleton cachescopeDeclaredCaches(ObjectProvider<CacheManager> managers) {
    return () -> managers.orderedStream().forEach(m -> m.getCacheNames().forEach(m::getCache));
  }

  /** The {@code cachescope} actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    CachescopeEndpoint cachescopeEndpoint(MetricsAggregator aggregator) {
      return new CachescopeEndpoint(aggregator);
    }
  }

  /** Micrometer meters for every monitored cache, in every registry Spring Boot configures. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MicrometerConfiguration {
    @Bean
    @ConditionalOnMissingBean
    CachescopeMeterBinder cachescopeMeterBinder(MetricsAggregator aggregator) {
      return new CachescopeMeterBinder(aggregator);
    }
  }

  /** Span events for cache operations inside recorded OpenTelemetry spans. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.opentelemetry.api.trace.Span")
  @ConditionalOnBooleanProperty(name = "cachescope.tracing.enabled", matchIfMissing = true)
  static class OpenTelemetryConfiguration {
    @Bean
    OperationTracer cachescopeOpenTelemetryTracer(CachescopeProperties properties) {
      return new OpenTelemetryTracer(properties.getTracing().getSampleRate());
    }
  }
}
