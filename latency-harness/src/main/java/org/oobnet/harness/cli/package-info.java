/**
 * The {@code oobnet} command line: {@link org.oobnet.harness.cli.OobnetCli} and one class per subcommand, which parses
 * and checks its options, builds the work's settings, calls the code that does the work (in {@code bench}, {@code soak},
 * {@code doctor}, {@code metrics}) and prints the result. Nothing outside this package names it
 * ({@code arch/LayersTest}).
 */
package org.oobnet.harness.cli;
