/**
 * Spring Boot auto-configuration: every cache of every {@code CacheManager} monitored, {@code
 * cachescope.*} properties, the actuator endpoint, the Micrometer binder and OpenTelemetry span
 * events (the actuator, Micrometer, OpenTelemetry and the servlet API are optional). Its one
 * package is opened to Spring, which builds its beans and binds its properties by reflection.
 */
module dev.cachescope.spring {
  requires transitive dev.cachescope.export;
  requires transitive dev.cachescope.instrument;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires spring.aop;
  requires spring.beans;
  requires spring.boot;
  requires spring.boot.autoconfigure;
  requires spring.context;
  requires spring.core;
  requires static spring.context.support;
  requires static com.github.benmanes.caffeine;
  requires static io.opentelemetry.api;
  requires static jakarta.servlet;
  requires static micrometer.core;
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;

  exports dev.cachescope.spring;

  opens dev.cachescope.spring to
      spring.core,
      spring.beans,
      spring.context;
}
