/**
 * Alert rules over caches' numbers: an {@link dev.cachescope.alert.AlertRule} says which metric of
 * which caches must stay above or below a threshold, for how long, with hysteresis; the {@link
 * dev.cachescope.alert.AlertEvaluator} turns observations into transitions (pending, firing,
 * resolved). Pure: no threads, no I/O; the export module evaluates it on its own thread and sends
 * the transitions to logs and webhooks.
 */
@NullMarked
package dev.cachescope.alert;

import org.jspecify.annotations.NullMarked;
