/**
 * {@code oobnet demo}: the README's first run, a short UDP round-trip comparison next to the C floor.
 */
package org.oobnet.harness.bench.demo;
