package org.oobnet.core;

/**
 * Checks, before the runtime touches FFM or Agrona, that the JVM was started with the two flags oobnet needs, and
 * otherwise fails with one line that names the missing flag: {@code --enable-native-access=ALL-UNNAMED} (FFM
 * downcalls, restricted without it) and {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} (Agrona 2.x
 * reads {@code jdk.internal.misc.Unsafe}; without it the first buffer fails deep inside Agrona).
 * <p>
 * <b>Note:</b> thread safe; in-band (called by {@link OobRuntime#start(OobConfig, ProtocolRegistry)}).
 */
public final class RequiredJvmFlags
{
    /** The flag that lets the class path's code make FFM downcalls. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The flag that opens {@code jdk.internal.misc} to the class path (Agrona's Unsafe access). */
    public static final String ADD_OPENS = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";

    private RequiredJvmFlags()
    {
    }

    /**
     * Returns the JVM flags this JVM lacks, space separated, or the empty string when it has both.
     *
     * @return the missing flags, as they go on a {@code java} command line.
     */
    public static String missing()
    {
        // the module oobnet's classes run in: the class path's unnamed module in an application (FIXME: on the
        // module path the flags would name the module instead of ALL-UNNAMED; not supported yet)
        final Module self = RequiredJvmFlags.class.getModule();
        final StringBuilder missing = new StringBuilder();
        if (!self.isNativeAccessEnabled())
        {
            missing.append(NATIVE_ACCESS);
        }
        if (!Object.class.getModule().isOpen("jdk.internal.misc", self))
        {
            missing.append(missing.isEmpty() ? "" : " ").append(ADD_OPENS);
        }
        return missing.toString();
    }

    /**
     * Throws when a flag is missing.
     *
     * @throws MissingJvmFlagException naming the missing flags and where to add them.
     */
    public static void check()
    {
        final String missing = missing();
        if (!missing.isEmpty())
        {
            throw new MissingJvmFlagException(
                "oobnet: the JVM lacks " + missing + ": add it to the java command line (Maven Surefire: " +
                "<argLine>; see docs/getting-started.md)");
        }
    }
}
