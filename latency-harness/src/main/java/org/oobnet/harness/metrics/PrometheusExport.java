package org.oobnet.harness.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.oobnet.core.counters.CountersFileDescriptor;
import org.oobnet.core.counters.CountersFileReader;

/**
 * {@code oobnet stat --prometheus} and {@code --serve}: a running runtime's counters file in the Prometheus text
 * exposition format (written by the Prometheus client's own {@link PrometheusTextFormatWriter}), printed once or
 * served over HTTP by the JDK's {@link HttpServer} at {@code /metrics}, each scrape a fresh reading.
 * <p>
 * <b>Note:</b> in-band; the HTTP server runs on its own thread and only reads the file.
 */
public final class PrometheusExport
{
    /** The port when {@code --serve} gives none: the one Prometheus' exporter list suggests for node-local use. */
    public static final int DEFAULT_PORT = 9464;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final Path countersFile;

    /**
     * @param countersDir the runtime's counters directory.
     */
    public PrometheusExport(final Path countersDir)
    {
        this.countersFile = countersDir.resolve(CountersFileDescriptor.FILE_NAME);
    }

    /**
     * @return the counters file read.
     */
    public Path countersFile()
    {
        return countersFile;
    }

    /**
     * Writes one reading.
     *
     * @param out where to.
     * @throws IOException when the file cannot be read or the output written.
     * @throws IllegalArgumentException when there is no counters file or it is not one (the message says which).
     */
    public void write(final OutputStream out) throws IOException
    {
        if (!Files.exists(countersFile))
        {
            throw new IllegalArgumentException("no counters file: countersFile=" + countersFile +
                " does not exist (is a runtime running with countersDir=" + countersFile.getParent() + "?)");
        }
        try (CountersFileReader reader = CountersFileReader.open(countersFile))
        {
            WRITER.write(out, CounterMetrics.read(reader));
        }
    }

    /**
     * Starts serving {@code /metrics}.
     *
     * @param address where to listen.
     * @return the running server (stop it with {@code stop(0)}).
     * @throws IOException when the address cannot be bound.
     */
    public HttpServer serve(final InetSocketAddress address) throws IOException
    {
        final HttpServer server = HttpServer.create(address, 0);
        server.createContext("/metrics", this::scrape);
        server.start();
        return server;
    }

    // the server's thread: one fresh reading per request; no runtime is a 503 with the reason
    private void scrape(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            int status = 200;
            String type = WRITER.getContentType();
            try
            {
                final ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);
                write(buffer);
                body = buffer.toByteArray();
            }
            catch (final IllegalArgumentException | IOException ex)
            {
                status = 503;
                type = "text/plain; charset=utf-8";
                body = ("oobnet stat: " + ex.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head)
            {
                exchange.getResponseBody().write(body);
            }
        }
    }

    /**
     * Parses {@code --serve}: {@code PORT} or {@code :PORT} listen on loopback only; {@code HOST:PORT} on the
     * address given, which is then the user's explicit choice ({@code 0.0.0.0:PORT} for every interface).
     *
     * @param text the option's value.
     * @return the address to listen on.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static InetSocketAddress parseServe(final String text)
    {
        final int colon = text.lastIndexOf(':');
        final String host = colon < 0 ? "" : text.substring(0, colon);
        final String portText = colon < 0 ? text : text.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--serve=" + text + ": port=" + portText + " is not a number " +
                "(give HOST:PORT, or PORT for loopback)");
        }
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("--serve=" + text + ": port=" + port + " must be 0..65535");
        }
        try
        {
            return new InetSocketAddress(host.isEmpty() ? InetAddress.getLoopbackAddress() :
                InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("--serve=" + text + ": host=" + host + " does not resolve " +
                "(give an address of this machine, or PORT alone for loopback)");
        }
    }

    /**
     * {@code oobnet stat --serve}: serves until the process is stopped, saying where first.
     *
     * @param address where to listen.
     * @param out     where the address line goes.
     * @return never returns normally while serving; 0 when interrupted.
     * @throws IOException when the address cannot be bound.
     */
    public int serveUntilStopped(final InetSocketAddress address, final PrintWriter out) throws IOException
    {
        final HttpServer server;
        try
        {
            server = serve(address);
        }
        catch (final java.net.BindException ex)
        {
            throw new IllegalArgumentException("cannot listen on " + address.getAddress().getHostAddress() + ":" +
                address.getPort() + " (" + ex.getMessage() + "): pick another port or address with --serve");
        }
        out.println("oobnet stat: serving http://" + hostPort(server.getAddress()) + "/metrics from " +
            countersFile + " (Prometheus text format; Ctrl-C stops)");
        out.flush();
        try
        {
            Thread.currentThread().join();
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
        finally
        {
            server.stop(0);
        }
    }

    private static String hostPort(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
