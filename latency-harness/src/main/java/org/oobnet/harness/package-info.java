/**
 * The {@code oobnet} entry point's forwarder; the command line itself is in {@link org.oobnet.harness.cli}: one class
 * per subcommand, the code behind each in {@code bench}, {@code env}, {@code soak}, {@code doctor}, {@code report} and
 * {@code metrics}.
 */
package org.oobnet.harness;
