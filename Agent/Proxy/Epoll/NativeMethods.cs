using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GitOrch.Agent.Proxy.Epoll;

/// <summary>The few Linux calls the epoll engine makes (x64 and arm64 share these numbers).</summary>
internal static class NativeMethods
{
    private const string Libc = "libc";

    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;
    public const uint EpollIn = 0x1;
    public const uint EpollOut = 0x4;
    public const uint EpollErr = 0x8;
    public const uint EpollHup = 0x10;
    public const int CloExec = 0x80000;
    public const int NonBlock = 0x800;
    public const int SockStream = 1;
    public const int IpProtoTcp = 6;
    public const int TcpNoDelay = 1;
    public const int SolSocket = 1;
    public const int SoError = 4;
    public const int SoLinger = 13;
    public const int ShutWr = 1;
    public const int MsgNoSignal = 0x4000;
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int EInProgress = 115;

    /// <summary>struct epoll_event is packed (12 bytes) on x86-64 and naturally aligned (16 bytes) elsewhere.</summary>
    public static readonly bool PackedEvents = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    public static int EventSize => PackedEvents ? 12 : 16;

    public static int EventDataOffset => PackedEvents ? 4 : 8;

    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    [DllImport(Libc, SetLastError = true)]
    public static extern int epoll_create1(int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern int epoll_ctl(int epfd, int op, int fd, ref byte ev);

    [DllImport(Libc, SetLastError = true)]
    public static extern int epoll_wait(int epfd, ref byte events, int maxevents, int timeout);

    [DllImport(Libc, SetLastError = true)]
    public static extern int fcntl(int fd, int cmd, int arg);

    [DllImport(Libc, SetLastError = true)]
    public static extern int eventfd(uint initval, int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern int socket(int domain, int type, int protocol);

    [DllImport(Libc, SetLastError = true)]
    public static extern int connect(int fd, ref byte addr, int len);

    [DllImport(Libc, SetLastError = true)]
    public static extern int accept4(int fd, nint addr, nint len, int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern nint recv(int fd, ref byte buf, nint len, int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern nint send(int fd, ref byte buf, nint len, int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern int shutdown(int fd, int how);

    [DllImport(Libc, SetLastError = true)]
    public static extern int close(int fd);

    [DllImport(Libc, SetLastError = true)]
    public static extern int setsockopt(int fd, int level, int name, ref long value, int len);

    [DllImport(Libc, SetLastError = true)]
    public static extern int getsockopt(int fd, int level, int name, ref int value, ref int len);

    [DllImport(Libc, SetLastError = true)]
    public static extern nint write(int fd, ref long value, nint len);

    [DllImport(Libc, SetLastError = true)]
    public static extern nint read(int fd, ref long value, nint len);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static void SetNonBlocking(int fd)
    {
        const int getFlags = 3, setFlags = 4;
        var flags = fcntl(fd, getFlags, 0);
        fcntl(fd, setFlags, flags | NonBlock);
    }

    public static void SetInt(int fd, int level, int name, int value)
    {
        long v = value;
        setsockopt(fd, level, name, ref v, sizeof(int));
    }

    /// <summary>SO_LINGER {on, 0}: close sends RST.</summary>
    public static void SetAbortive(int fd)
    {
        // struct linger { int l_onoff; int l_linger; } as one little-endian 8-byte value: onoff=1, linger=0.
        long linger = 1;
        setsockopt(fd, SolSocket, SoLinger, ref linger, sizeof(long));
    }

    public static void Control(int epfd, int op, int fd, uint events, long data)
    {
        Span<byte> ev = stackalloc byte[16];
        ev.Clear();
        BitConverter.TryWriteBytes(ev, events);
        BitConverter.TryWriteBytes(ev[EventDataOffset..], data);
        epoll_ctl(epfd, op, fd, ref ev[0]);
    }

    /// <summary>A sockaddr_in / sockaddr_in6 for connect().</summary>
    public static byte[] SockAddr(IPEndPoint endpoint)
    {
        var ipv6 = endpoint.AddressFamily == AddressFamily.InterNetworkV6;
        var addr = new byte[ipv6 ? 28 : 16];
        BitConverter.TryWriteBytes(addr.AsSpan(0), (ushort)(ipv6 ? 10 : 2));
        addr[2] = (byte)(endpoint.Port >> 8);
        addr[3] = (byte)endpoint.Port;
        if (ipv6)
        {
            endpoint.Address.TryWriteBytes(addr.AsSpan(8, 16), out _);
            BitConverter.TryWriteBytes(addr.AsSpan(24), (uint)endpoint.Address.ScopeId);
        }
        else
        {
            endpoint.Address.TryWriteBytes(addr.AsSpan(4, 4), out _);
        }

        return addr;
    }
}
