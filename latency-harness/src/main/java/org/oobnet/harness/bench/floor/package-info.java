/**
 * The C floor: a minimal C ring ping-pong (and frame counter) compiled at run time, the reference rows of every
 * comparison.
 */
package org.oobnet.harness.bench.floor;
