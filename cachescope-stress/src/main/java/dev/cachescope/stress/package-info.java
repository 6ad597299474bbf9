/**
 * jcstress tests of the recording machinery: publication and exactness under real races, checked
 * across JIT modes and memory orderings. Run with {@code java -jar
 * cachescope-stress/target/jcstress.jar -m quick}.
 */
@NullMarked
package dev.cachescope.stress;

import org.jspecify.annotations.NullMarked;
