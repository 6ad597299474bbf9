/**
 * The demo application: the design's caches (§1) built on real Java caches, under a workload. Not
 * API.
 */
@NullMarked
package dev.cachescope.app.demo;

import org.jspecify.annotations.NullMarked;
