/**
 * {@code oobnet doctor}: preflight checks of the machine for the OOB path (JDK, CPUs, isolation, tick,
 * governor, capabilities, namespaces and veth, memlock, huge pages, clock source, configuration), with the
 * parsers of the procfs and sysfs texts they read.
 */
package org.oobnet.harness.doctor;
