package dev.cachescope.spring;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.export.metrics.CachescopeMeterBinder;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Monitors every cache of every {@link CacheManager} bean, with the settings under {@code
 * cachescope.*} ({@link CachescopeProperties}), and starts the backends those settings ask for.
 * With the actuator it adds the {@code cachescope} endpoint; with Micrometer it binds the cache
 * meters to every registry; with the OpenTelemetry API it adds span events; with {@code
 * cachescope.dashboard.enabled=true} in a servlet application it serves the dashboard. Each bean
 * backs off when the application defines its own.
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

  /**
   * Micrometer meters for every monitored cache, in every registry Spring Boot configures, tagged
   * {@code cache}, {@code cache.manager} and {@code name} as Spring Boot's own cache meters are, so
   * dashboards made for those work.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MicrometerConfiguration {
    @Bean
    @ConditionalOnMissingBean
    CachescopeMeterBinder cachescopeMeterBinder(
        MetricsAggregator aggregator, MonitoredCaches caches) {
      return new CachescopeMeterBinder(
          aggregator,
          Tags.empty(),
          name -> {
            MonitoredCaches.Origin origin = caches.origin(name);
            return origin == null
                ? Tags.empty()
                : Tags.of("cache.manager", origin.cacheManager(), "name", origin.name());
          });
    }
  }

  /** The dashboard and API on the application's own servlet container, when asked for. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
  @ConditionalOnBooleanProperty("cachescope.dashboard.enabled")
  static class DashboardConfiguration {
    @Bean
    ServletRegistrationBean<DashboardServlet> cachescopeDashboard(
        Monitoring monitoring, CachescopeProperties properties) {
      CachescopeProperties.Dashboard dashboard = properties.getDashboard();
      String path = dashboard.getPath();
      if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw new IllegalArgumentException(
            "cachescope.dashboard.path must be a path such as /cachescope (a slash, then letters,"
                + " digits, '.', '_', '~' or '-', no slash at the end), got '"
                + path
                + "'");
      }
      ServletRegistrationBean<DashboardServlet> registration =
          new ServletRegistrationBean<>(
              new DashboardServlet(monitoring.httpApi(dashboard.getToken())), path + "/*");
      registration.setName("cachescopeDashboard");
      return registration;
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
