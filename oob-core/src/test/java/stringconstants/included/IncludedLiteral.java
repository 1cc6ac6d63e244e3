package stringconstants.included;

/**
 * A class outside oobnet's and Agrona's packages with a cold literal, for {@code StringConstantsTest}'s
 * {@code include}.
 */
public final class IncludedLiteral
{
    private IncludedLiteral()
    {
    }

    /** @return a literal no code ran before. */
    public static String message()
    {
        return "cold: a library's literal, resolved once its package was included";
    }
}
