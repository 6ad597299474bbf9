/**
 * Monitoring for Caffeine caches: see {@link
 * dev.cachescope.instrument.caffeine.CaffeineMonitoring}.
 */
@NullMarked
package dev.cachescope.instrument.caffeine;

import org.jspecify.annotations.NullMarked;
