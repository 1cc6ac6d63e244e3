/**
 * {@code oobnet mcast}'s work: the msend/mdump pair over the OOB path ({@code McastSend}, {@code McastDump}).
 */
package org.oobnet.harness.bench.mcast;
