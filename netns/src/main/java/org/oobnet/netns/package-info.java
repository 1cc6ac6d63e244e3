/**
 * Network-namespace management shared by the tests and the harness: running iproute2's {@code ip}
 * ({@link org.oobnet.netns.IpCommand}), throwaway namespaces joined by veth
 * ({@link org.oobnet.netns.NetnsTopology}) and moving a thread into one
 * ({@link org.oobnet.netns.NamespaceEntry}).
 * <p>
 * In-band only: everything here forks processes or makes blocking syscalls; none of it belongs on the OOB stage,
 * and neither the in-band stack nor the OOB modules depend on it (the harness does, and the tests through this
 * module's test-jar: {@code org.oobnet.netns.testing.NetnsFixture}, {@code Privileges}).
 */
package org.oobnet.netns;
