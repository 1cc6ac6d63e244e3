/**
 * The {@code oobnet} command line: {@link org.oobnet.harness.cli.OobnetCli} and one class per subcommand, which parses
 * its options, calls the code that does the work and prints the result.
 */
package org.oobnet.harness.cli;
