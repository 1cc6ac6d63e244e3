/**
 * Typed runtime configuration of oobnet: records per area ({@link org.oobnet.config.StageConfig},
 * {@link org.oobnet.config.RingsConfig}, {@link org.oobnet.config.InterfaceConfig}...), keys and defaults in
 * {@link org.oobnet.config.Configuration}, loaded and checked once by {@link org.oobnet.config.ConfigLoader}
 * from a TOML file, {@code OOBNET_*} environment variables and {@code -Doobnet.*} system properties.
 */
package org.oobnet.config;
