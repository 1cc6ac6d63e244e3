package org.oobnet.harness.doctor;

/**
 * The JDK running oobnet: version 25 or newer (FFM, the class-file API the build uses), its vendor and home.
 * <p>
 * <b>Note:</b> stateless.
 */
final class JdkCheck implements Check
{
    static final int MIN_FEATURE = 25;

    @Override
    public String name()
    {
        return "jdk";
    }

    @Override
    public CheckResult run()
    {
        final Runtime.Version version = Runtime.version();
        final String detail = version + " (" + System.getProperty("java.vendor") + ", " +
            System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home");
        if (version.feature() < MIN_FEATURE)
        {
            return CheckResult.fail(name(), detail,
                "install a JDK " + MIN_FEATURE + " or newer (e.g. Eclipse Temurin 25) and point JAVA_HOME at it");
        }
        return CheckResult.ok(name(), detail);
    }
}
