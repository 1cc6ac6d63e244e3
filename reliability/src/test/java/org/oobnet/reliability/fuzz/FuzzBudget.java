package org.oobnet.reliability.fuzz;

/**
 * How long each fuzz test fuzzes when asked to ({@code JAZZER_FUZZ=1}). In the ordinary test run Jazzer does
 * not fuzz: it replays each test's seed corpus ({@code src/test/resources/.../<Test>Inputs/<method>/}) and
 * the findings kept there as regression inputs, in well under a second per test.
 * <p>
 * One on-demand run per test: {@code JAZZER_FUZZ=1 mvn -B -q -pl reliability -am verify
 * -Dtest='UdpFrameParserFuzzTest#shouldClassify*Arbitrary' -Dsurefire.failIfNoSpecifiedTests=false}; the
 * count of inputs is the {@code Done N runs in S second(s)} line of the test's output file under
 * {@code reliability/target/surefire-reports/}.
 */
final class FuzzBudget
{
    /** Per fuzz test when fuzzing on demand. */
    static final String ON_DEMAND = "3m";

    private FuzzBudget()
    {
    }
}
