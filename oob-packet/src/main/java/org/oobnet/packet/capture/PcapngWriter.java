package org.oobnet.packet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;

/**
 * Writes a pcapng file (draft-ietf-opsawg-pcapng) that tshark, Wireshark and tcpdump read: a Section Header
 * Block, one Interface Description Block (Ethernet, the snap length, {@code if_name}, {@code if_tsresol} = 9 so
 * that timestamps are nanoseconds), then an Enhanced Packet Block per frame, its direction in {@code epb_flags}.
 * <p>
 * Blocks are little-endian (the byte-order magic says so) and buffered; {@link #close()} writes what is buffered.
 * <p>
 * <b>Note:</b> in-band; not thread safe.
 */
public final class PcapngWriter implements AutoCloseable
{
    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int ENHANCED_PACKET = 6;
    private static final short LINKTYPE_ETHERNET = 1;
    private static final short OPT_END = 0;
    private static final short SHB_USERAPPL = 4;
    private static final short IF_NAME = 2;
    private static final short IF_TSRESOL = 9;
    private static final short EPB_FLAGS = 2;
    /** {@code epb_flags} direction bits: inbound. */
    public static final int FLAGS_INBOUND = 1;
    /** {@code epb_flags} direction bits: outbound. */
    public static final int FLAGS_OUTBOUND = 2;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long packets;

    private PcapngWriter(final Path path, final FileChannel channel)
    {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Creates (or truncates) the file and writes the section and interface headers.
     *
     * @param path          the file.
     * @param interfaceName the captured interface, for {@code if_name}.
     * @param snapLength    the snap length.
     * @return the writer.
     * @throws IOException when the file cannot be written.
     */
    public static PcapngWriter create(final Path path, final String interfaceName, final int snapLength)
        throws IOException
    {
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        final PcapngWriter writer = new PcapngWriter(path, channel);
        try
        {
            writer.sectionHeader();
            writer.interfaceDescription(interfaceName, snapLength);
            writer.flush();
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        return writer;
    }

    /**
     * One frame as an Enhanced Packet Block.
     *
     * @param timestampNs    nanoseconds since the epoch.
     * @param outbound       true for a frame sent, false for one received.
     * @param wireLength     its length on the wire.
     * @param frame          its captured bytes.
     * @param offset         where they start.
     * @param capturedLength how many were captured.
     * @throws IOException when the file cannot be written.
     */
    public void packet(
        final long timestampNs, final boolean outbound, final int wireLength, final DirectBuffer frame,
        final int offset, final int capturedLength) throws IOException
    {
        final int padded = pad(capturedLength);
        final int length = 28 + padded + 8 + 4 + 4;
        room(length);
        out.putInt(ENHANCED_PACKET).putInt(length);
        out.putInt(0); // interface id: the one IDB
        out.putInt((int)(timestampNs >>> 32)).putInt((int)timestampNs);
        out.putInt(capturedLength).putInt(wireLength);
        final int at = out.position();
        frame.getBytes(offset, out, at, capturedLength);
        out.position(at + capturedLength);
        zeros(padded - capturedLength);
        out.putShort(EPB_FLAGS).putShort((short)4).putInt(outbound ? FLAGS_OUTBOUND : FLAGS_INBOUND);
        out.putShort(OPT_END).putShort((short)0);
        out.putInt(length);
        packets++;
    }

    /** @return the Enhanced Packet Blocks written. */
    public long packets()
    {
        return packets;
    }

    /** @return the file. */
    public Path path()
    {
        return path;
    }

    /**
     * Writes what is buffered to the file.
     *
     * @throws IOException when it cannot be written.
     */
    public void flush() throws IOException
    {
        out.flip();
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        out.clear();
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            flush();
        }
        finally
        {
            channel.close();
        }
    }

    private void sectionHeader()
    {
        final byte[] application = "oobnet capture".getBytes(StandardCharsets.UTF_8);
        final int length = 24 + option(application.length) + 4 + 4;
        out.putInt(SECTION_HEADER).putInt(length).putInt(BYTE_ORDER_MAGIC);
        out.putShort((short)1).putShort((short)0); // version 1.0
        out.putLong(-1L); // section length not given
        putOption(SHB_USERAPPL, application);
        out.putShort(OPT_END).putShort((short)0);
        out.putInt(length);
    }

    private void interfaceDescription(final String interfaceName, final int snapLength)
    {
        final byte[] name = interfaceName.getBytes(StandardCharsets.UTF_8);
        final int length = 16 + option(name.length) + option(1) + 4 + 4;
        out.putInt(INTERFACE_DESCRIPTION).putInt(length);
        out.putShort(LINKTYPE_ETHERNET).putShort((short)0).putInt(snapLength);
        putOption(IF_NAME, name);
        putOption(IF_TSRESOL, new byte[]{ 9 }); // 10^-9 s: nanoseconds
        out.putShort(OPT_END).putShort((short)0);
        out.putInt(length);
    }

    private void putOption(final short code, final byte[] value)
    {
        out.putShort(code).putShort((short)value.length).put(value);
        zeros(pad(value.length) - value.length);
    }

    private static int option(final int valueLength)
    {
        return 4 + pad(valueLength);
    }

    private static int pad(final int length)
    {
        return (length + 3) & ~3;
    }

    private void zeros(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            out.put((byte)0);
        }
    }

    private void room(final int length) throws IOException
    {
        if (out.remaining() < length)
        {
            flush();
            if (out.remaining() < length)
            {
                throw new IOException("pcapng block of " + length + " bytes beyond the writer's buffer");
            }
        }
    }
}
