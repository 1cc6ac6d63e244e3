/**
 * Where a run happens: namespace pairs joined by veth or loopback, child JVMs with their CPU placement and the low-
 * latency JVM profile, a thread inside a namespace, a run's temporary tree.
 */
package org.oobnet.harness.env;
