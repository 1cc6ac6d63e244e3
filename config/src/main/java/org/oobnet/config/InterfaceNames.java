package org.oobnet.config;

import static org.oobnet.config.Configuration.INTERFACE_NAME_MAX_LENGTH;

/**
 * What makes an interface name one the kernel takes, for {@code [interfaces.NAME]} and {@code [[stage]]}
 * {@code interfaces}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
final class InterfaceNames
{
    private InterfaceNames()
    {
    }

    /**
     * Why a name is not an interface name.
     *
     * @param name a name as given.
     * @return the reason, or null when it is a valid name.
     */
    static String problem(final String name)
    {
        if (name.isEmpty())
        {
            return "empty interface name";
        }
        if (name.length() > INTERFACE_NAME_MAX_LENGTH)
        {
            return "interface name longer than " + INTERFACE_NAME_MAX_LENGTH + " characters";
        }
        if (".".equals(name) || "..".equals(name) ||
            name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c)))
        {
            return "not a valid interface name (no '/', ':' or white space; not . or ..)";
        }
        return null;
    }
}
