namespace GitOrch.Engine.Store;

/// <summary>
/// The stream LiteDB writes through. LiteDB forces every commit to the disk (fsync), which caps a small-write
/// workload at a few hundred commits a second on ordinary disks. This stream hands each commit to the operating
/// system at once (so a killed Engine process loses nothing) and the store forces the files to the disk on a short
/// interval (<see cref="StoreOptions.SyncInterval"/>): only a power cut can cost the last few milliseconds, the
/// trade-off MongoDB's journal makes by default. The data file is opened exclusively: one Engine owns it.
/// </summary>
internal sealed class DeferredSyncFile : Stream
{
    private readonly FileStream _file;
    private int _dirty;
    private bool _disposed;

    public DeferredSyncFile(string path, bool exclusive)
    {
        try
        {
            _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, exclusive ? FileShare.None : FileShare.Read, 8192, FileOptions.RandomAccess);
        }
        catch (IOException ex)
        {
            throw new IOException($"cannot open {path}: another GitOrch Engine may be using this data directory ({ex.Message})", ex);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    /// <summary>Hands buffered writes to the operating system; durability on disk follows at the next <see cref="SyncToDisk"/>.</summary>
    public override void Flush()
    {
        _file.Flush(flushToDisk: false);
        Volatile.Write(ref _dirty, 1);
    }

    /// <summary>Forces what the OS holds to the disk. Safe to call from another thread: it touches only the handle.</summary>
    public void SyncToDisk()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 1)
        {
            RandomAccess.FlushToDisk(_file.SafeFileHandle);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value)
    {
        _file.SetLength(value);
        Volatile.Write(ref _dirty, 1);
    }

    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        // LiteDB may dispose the stream itself; the store disposes it again on close.
        if (disposing && !_disposed)
        {
            _disposed = true;
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
