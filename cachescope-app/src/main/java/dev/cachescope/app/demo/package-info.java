/**
 * The demo application: the seed design's caches built on real Java caches, under a workload. Not
 * API.
 */
@NullMarked
package dev.cachescope.app.demo;

import org.jspecify.annotations.NullMarked;
