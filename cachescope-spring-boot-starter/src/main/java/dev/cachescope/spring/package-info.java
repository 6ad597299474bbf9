/**
 * The Spring Boot starter: adding {@code cachescope-spring-boot-starter} monitors every cache of
 * every {@code CacheManager} bean, so {@code @Cacheable} methods are monitored with no code. See
 * {@link dev.cachescope.spring.CachescopeAutoConfiguration} for what it wires and {@link
 * dev.cachescope.spring.CachescopeProperties} for the {@code cachescope.*} settings.
 */
@NullMarked
package dev.cachescope.spring;

import org.jspecify.annotations.NullMarked;
